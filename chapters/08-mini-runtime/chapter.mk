# chapter 08: minirun, an OCI runtime. See GNUmakefile for what these variables mean.
08-mini-runtime_PROGRAMS        := minirun
08-mini-runtime_STATIC_PROGRAMS :=
# The earlier chapters whose modules minirun is made of (more as they land).
08-mini-runtime_DEPS            := 01-chroot
08-mini-runtime_PKGS            := jansson libcap
