# chapter 03: nsenter, joining namespaces, and pods. See GNUmakefile for what these variables mean.
03-nsenter_PROGRAMS        := nsjoin
03-nsenter_STATIC_PROGRAMS :=
03-nsenter_DEPS            :=
03-nsenter_PKGS            :=
