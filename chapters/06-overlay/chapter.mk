# chapter 06: overlay. See GNUmakefile for what these variables mean.
06-overlay_PROGRAMS        := layers
06-overlay_STATIC_PROGRAMS :=
06-overlay_DEPS            := 01-chroot
06-overlay_PKGS            := jansson libarchive libcrypto
