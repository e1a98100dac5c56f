# chapter 02: PID namespace (with mount, UTS and IPC). See GNUmakefile for what these variables mean.
02-pid-namespace_PROGRAMS        := pidns
02-pid-namespace_STATIC_PROGRAMS :=
02-pid-namespace_DEPS            := 01-chroot
02-pid-namespace_PKGS            :=
