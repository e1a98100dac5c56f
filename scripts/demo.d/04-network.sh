# Chapter 04 demo: an empty network namespace; netwire cables a container
# to a bridge, then NAT lets it out and a published port lets the world in.
# Everything happens in two throwaway namespaces: one plays the host, one
# the outside world. The room's machine's own network is never touched.
demo_title="Chapter 04: a network for the container (veth, bridge, NAT, published ports)"

demo_setup() {
	DEMO_NET_HOST=cfs-demo-h-$$
	DEMO_NET_OUTSIDE=cfs-demo-o-$$
	local busybox=$ROOTFS/bin/busybox
	ip netns add "$DEMO_NET_HOST"
	ip netns add "$DEMO_NET_OUTSIDE"
	ip -n "$DEMO_NET_HOST" link set lo up
	ip -n "$DEMO_NET_OUTSIDE" link set lo up
	# The host's uplink to the outside world: 198.18.0.1 <-> 198.18.0.2.
	ip -n "$DEMO_NET_HOST" link add up0 type veth peer name out0 netns "$DEMO_NET_OUTSIDE"
	ip -n "$DEMO_NET_HOST" address add 198.18.0.1/24 dev up0
	ip -n "$DEMO_NET_HOST" link set up0 up
	ip -n "$DEMO_NET_OUTSIDE" address add 198.18.0.2/24 dev out0
	ip -n "$DEMO_NET_OUTSIDE" link set out0 up
	# A server outside that says who is calling.
	mkdir -p "$DEMO_TMP/outside/cgi-bin" "$DEMO_TMP/web"
	printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\necho "the outside server sees: $REMOTE_ADDR"\n' \
		>"$DEMO_TMP/outside/cgi-bin/whoami"
	chmod +x "$DEMO_TMP/outside/cgi-bin/whoami"
	echo "hello from the container web" >"$DEMO_TMP/web/index.html"
	ip netns exec "$DEMO_NET_OUTSIDE" "$busybox" httpd -f -p 198.18.0.2:80 -h "$DEMO_TMP/outside" \
		>"$DEMO_TMP/outside-httpd.log" 2>&1 &
	echo $! >"$DEMO_TMP/outside-httpd.pid"
	# The container: a process in a new, empty network namespace.
	ip netns exec "$DEMO_NET_HOST" unshare --net sleep 3600 >/dev/null 2>&1 &
	echo $! >"$DEMO_TMP/container.pid"
	sleep 0.3
}

demo_cleanup() {
	local file
	for file in "$DEMO_TMP"/*.pid; do
		[[ -e $file ]] || continue
		kill -KILL "$(cat "$file")" 2>/dev/null || true
	done
	# The namespaces take every link, address and nft rule along.
	if [[ -n ${DEMO_NET_HOST:-} ]]; then
		ip netns del "$DEMO_NET_HOST" 2>/dev/null || true
	fi
	if [[ -n ${DEMO_NET_OUTSIDE:-} ]]; then
		ip netns del "$DEMO_NET_OUTSIDE" 2>/dev/null || true
	fi
}

demo_steps() {
	local host=$DEMO_NET_HOST outside=$DEMO_NET_OUTSIDE busybox=$ROOTFS/bin/busybox
	local netwire="ip netns exec $host $BIN/netwire"
	step "A new network namespace is empty: one loopback, down, and no route at all." \
		"nsenter -t \$(cat container.pid) -n $ROOTFS/bin/probe net; nsenter -t \$(cat container.pid) -n ip route | wc -l"
	step "netwire runs in the namespace that plays the host: a bridge, the containers' switch and gateway. Note its alias: netwire's mark." \
		"$netwire bridge create cfs0 --address 10.200.0.1/24; ip -n $host -d link show cfs0 | grep -E 'cfs0|alias'"
	step "attach: a veth pair, veth-web on the bridge, its peer moved into the container, renamed eth0, addressed, up; lo up; a default route." \
		"$netwire attach --bridge cfs0 --pid \$(cat container.pid) --name web --address 10.200.0.2/24
		nsenter -t \$(cat container.pid) -n $ROOTFS/bin/probe net; nsenter -t \$(cat container.pid) -n ip route"
	step "On the host: veth-web plugged into cfs0; its alias remembers the container's address, which the host cannot see." \
		"ip -n $host -brief link show master cfs0; ip -n $host -d link show veth-web | grep alias"
	step_may_fail "Out to 198.18.0.2 fails even with forwarding on: the outside has no route back to 10.200.0.0/24." \
		"ip netns exec $host sysctl -w net.ipv4.ip_forward=1
		nsenter -t \$(cat container.pid) -n timeout 2 $busybox wget -qO- http://198.18.0.2/cgi-bin/whoami"
	step "netwire masquerade: the source becomes the host's address on the way out, and the answers find their way back." \
		"$netwire masquerade --subnet 10.200.0.0/24
		nsenter -t \$(cat container.pid) -n timeout 2 $busybox wget -qO- http://198.18.0.2/cgi-bin/whoami"
	step "A server in the container, published on the host's port 8080: from outside, from the host's address, from 127.0.0.1." \
		"nsenter -t \$(cat container.pid) -n $busybox httpd -f -p 80 -h web >web-httpd.log 2>&1 & echo \$! >web-httpd.pid
		$netwire publish --host-port 8080 --to 10.200.0.2:80; sleep 0.3
		ip netns exec $outside timeout 2 $busybox wget -qO- http://198.18.0.1:8080/
		ip netns exec $host timeout 2 $busybox wget -qO- http://198.18.0.1:8080/
		ip netns exec $host timeout 2 $busybox wget -qO- http://127.0.0.1:8080/"
	step "All of the NAT is one table netwire owns: a chain per subnet and per published port." \
		"ip netns exec $host nft list table ip cfs_netwire"
	step_may_fail "Bad input is refused before anything changes, in one line: an address another container has." \
		"$netwire attach --bridge cfs0 --pid \$(cat container.pid) --name db --address 10.200.0.2/24"
	step "netwire remove: every link it marked and its table are gone; the container is back to a lone loopback." \
		"$netwire remove; ip -n $host -brief link; ip netns exec $host nft list ruleset | wc -l
		nsenter -t \$(cat container.pid) -n $ROOTFS/bin/probe net"
}
