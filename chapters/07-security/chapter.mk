# chapter 07: security. See GNUmakefile for what these variables mean.
07-security_PROGRAMS        := confine
07-security_STATIC_PROGRAMS := attack
07-security_DEPS            := 01-chroot
07-security_PKGS            := libcap libseccomp jansson
