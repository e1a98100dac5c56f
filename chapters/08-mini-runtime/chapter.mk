# chapter 08: minirun, an OCI runtime. See GNUmakefile for what these variables mean.
08-mini-runtime_PROGRAMS        := minirun
08-mini-runtime_STATIC_PROGRAMS :=
# The earlier chapters whose modules minirun is made of. Chapter 04's
# netwire plugs a network in between create and start from outside, and
# chapter 06's overlay root is made by `layers` before create: minirun
# links neither.
08-mini-runtime_DEPS            := 01-chroot 02-pid-namespace 03-nsenter 05-cgroups 07-security
08-mini-runtime_PKGS            := jansson libcap libseccomp nettle
