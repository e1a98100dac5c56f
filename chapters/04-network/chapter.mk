# chapter 04: network. See GNUmakefile for what these variables mean.
04-network_PROGRAMS        := netwire
04-network_STATIC_PROGRAMS :=
04-network_DEPS            :=
04-network_PKGS            := libmnl libnftables
