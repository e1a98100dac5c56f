# 04-network.bash: the throwaway topology of chapter 04's tests.
#
#   outside (NET_OUTSIDE)             host (NET_HOST)                      containers
#   out0 198.18.0.2/24  <--veth-->  up0 198.18.0.1/24
#   busybox httpd :80                  bridge (netwire) 10.200.N.1/24 <--> eth0 in each
#
# Both namespaces are made with `ip netns add` and deleted at teardown;
# containers are `unshare --net sleep` processes started from inside the
# host namespace, killed by PID. Nothing touches the machine's own network.

BUSYBOX=$ROOTFS/bin/busybox
HOST_UPLINK_ADDRESS=198.18.0.1
OUTSIDE_ADDRESS=198.18.0.2

# make_host: a namespace that plays the host, lo up. Sets NET_HOST.
make_host() {
	NET_HOST=$(unique_name cfsh)
	ip netns add "$NET_HOST"
	defer ip netns del "$NET_HOST"
	ip -n "$NET_HOST" link set lo up
}

# make_outside: a namespace that plays the outside world, cabled to the
# host (up0 <-> out0), with no route back to the containers' subnets, and
# a busybox httpd on 198.18.0.2:80 whose /cgi-bin/whoami prints the
# client's address as the server sees it. Sets NET_OUTSIDE.
make_outside() {
	NET_OUTSIDE=$(unique_name cfso)
	ip netns add "$NET_OUTSIDE"
	defer ip netns del "$NET_OUTSIDE"
	ip -n "$NET_OUTSIDE" link set lo up
	ip -n "$NET_HOST" link add up0 type veth peer name out0 netns "$NET_OUTSIDE"
	ip -n "$NET_HOST" address add "$HOST_UPLINK_ADDRESS/24" dev up0
	ip -n "$NET_HOST" link set up0 up
	ip -n "$NET_OUTSIDE" address add "$OUTSIDE_ADDRESS/24" dev out0
	ip -n "$NET_OUTSIDE" link set out0 up
	local www=$BATS_TEST_TMPDIR/outside-www
	mkdir -p "$www/cgi-bin"
	printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\necho "$REMOTE_ADDR"\n' >"$www/cgi-bin/whoami"
	chmod +x "$www/cgi-bin/whoami"
	start_background "$BATS_TEST_TMPDIR/outside-httpd.log" \
		ip netns exec "$NET_OUTSIDE" "$BUSYBOX" httpd -f -p "$OUTSIDE_ADDRESS:80" -h "$www"
	wait_until 5 in_outside bash -c "exec 3<>/dev/tcp/$OUTSIDE_ADDRESS/80"
}

in_host() { ip netns exec "$NET_HOST" "$@"; }
in_outside() { ip netns exec "$NET_OUTSIDE" "$@"; }
# in_container PID CMD...: run CMD in the network namespace of PID.
in_container() {
	local pid=$1
	shift
	nsenter -t "$pid" -n "$@"
}
# netwire ARGS...: the program under test, run in the host namespace.
netwire() { ip netns exec "$NET_HOST" "$BIN/netwire" "$@"; }

# start_container: a process in a new, empty network namespace, started
# from the host namespace. Sets CONTAINER_PID.
start_container() {
	start_background "$BATS_TEST_TMPDIR/container-$RANDOM.log" \
		ip netns exec "$NET_HOST" unshare --net sleep 300
	CONTAINER_PID=$BG_PID
	# ip netns exec and unshare exec in place: the PID is sleep's once
	# the namespace exists.
	wait_until 5 grep -qx sleep "/proc/$CONTAINER_PID/comm"
}

# fetch_in_container PID URL, fetch_in_host URL, fetch_in_outside URL:
# the page at URL, seen from there: busybox wget with a 2 s limit (its
# own -T option crashes the static build).
fetch_in_container() { nsenter -t "$1" -n timeout 2 "$BUSYBOX" wget -qO- "$2"; }
fetch_in_host() { ip netns exec "$NET_HOST" timeout 2 "$BUSYBOX" wget -qO- "$1"; }
fetch_in_outside() { ip netns exec "$NET_OUTSIDE" timeout 2 "$BUSYBOX" wget -qO- "$1"; }

# serve_in_container PID TEXT: an httpd on port 80 of the container whose
# / says TEXT.
serve_in_container() {
	local pid=$1 www=$BATS_TEST_TMPDIR/www-$1
	mkdir -p "$www"
	echo "$2" >"$www/index.html"
	start_background "$BATS_TEST_TMPDIR/httpd-$pid.log" \
		nsenter -t "$pid" -n "$BUSYBOX" httpd -f -p 80 -h "$www"
	wait_until 5 in_container "$pid" bash -c 'exec 3<>/dev/tcp/127.0.0.1/80'
}

# The links and nft tables of the host namespace, one per line.
host_links() { ip -n "$NET_HOST" -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'; }
host_ruleset() { ip netns exec "$NET_HOST" nft list ruleset; }

# requires_nf_tables: like `requires nft`, but asks the kernel itself (in a
# throwaway namespace): nf_tables built into the kernel has no
# /sys/module/nf_tables, which is what the shared check looks for.
requires_nf_tables() {
	if ! unshare --net nft add table ip cfsprobe 2>/dev/null; then
		[[ $STRICT == 1 ]] && fail "requirement not met in strict mode: needs nf_tables and nft"
		skip "needs nf_tables and nft"
	fi
}
