# chapter 01: chroot. See GNUmakefile for what these variables mean.
01-chroot_PROGRAMS        := jail
01-chroot_STATIC_PROGRAMS := chroot-escape
01-chroot_DEPS            :=
01-chroot_PKGS            :=
