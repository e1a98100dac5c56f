# chapter 05: cgroups. See GNUmakefile for what these variables mean.
05-cgroups_PROGRAMS        := cgctl
05-cgroups_STATIC_PROGRAMS := hog
05-cgroups_DEPS            :=
05-cgroups_PKGS            :=
