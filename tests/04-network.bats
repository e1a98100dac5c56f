#!/usr/bin/env bats
# Chapter 04: veth pairs, a bridge, routes, NAT and published ports, seen
# from the host, from the containers and from an "outside world". The
# whole topology lives in network namespaces these tests create (see
# helpers/04-network.bash); the machine's own network is never touched.

load helpers
load helpers/04-network

setup() {
	requires root netns veth bridge
	requires_nf_tables
	require_program netwire
	make_host
}

# Exercise-by-exercise tests build what the earlier steps would have made
# with `ip`, so each needs only its own exercise.

# bats test_tags=ex:04_1
@test "04.1 netwire veth creates two linked interfaces, down" {
	run netwire veth ve-left ve-right
	assert_success
	assert_output ""
	run ip -n "$NET_HOST" -d -o link show ve-left
	assert_success
	assert_output --regexp '^[0-9]+: ve-left@ve-right: '
	assert_output --partial ' veth '
	refute_output --partial ',UP'
	run ip -n "$NET_HOST" -o link show ve-right
	assert_output --regexp '^[0-9]+: ve-right@ve-left: '
}

# bats test_tags=ex:04_1
@test "04.1 netwire veth refuses a name that exists, in one line" {
	netwire veth ve-left ve-right
	run netwire veth ve-left ve-other
	assert_one_error_line
	assert_output --partial "create veth pair ve-left <-> ve-other: File exists"
	run ip -n "$NET_HOST" link show ve-other
	assert_failure
}

# bats test_tags=ex:04_2
@test "04.2 netwire move puts one end in the container's namespace, by PID or by fd" {
	start_container
	local first=$CONTAINER_PID
	start_container
	local second=$CONTAINER_PID
	ip -n "$NET_HOST" link add ve-a type veth peer name ve-b
	ip -n "$NET_HOST" link add ve-c type veth peer name ve-d

	run netwire move ve-b --pid "$first"
	assert_success
	run ip -n "$NET_HOST" link show ve-b
	assert_failure
	run in_container "$first" ip -o link show ve-b
	assert_success
	# The host end still sees its peer, now in another namespace.
	run ip -n "$NET_HOST" -o link show ve-a
	assert_output --partial "link-netnsid"

	run netwire move ve-d --netns "/proc/$second/ns/net" --name eth0
	assert_success
	run in_container "$second" ip -o link show eth0
	assert_success
	run ip -n "$NET_HOST" link show ve-d
	assert_failure
}

# bats test_tags=ex:04_3
@test "04.3 netwire address gives a link an address, on the host and in a container" {
	start_container
	ip -n "$NET_HOST" link add ve-a type veth peer name ve-b
	ip -n "$NET_HOST" link set ve-b netns "$CONTAINER_PID"

	run netwire address ve-a 10.200.3.1/24
	assert_success
	run ip -n "$NET_HOST" -4 -o address show dev ve-a
	assert_output --partial "inet 10.200.3.1/24"

	run netwire address ve-b 10.200.3.2/24 --pid "$CONTAINER_PID"
	assert_success
	run in_container "$CONTAINER_PID" ip -4 -o address show dev ve-b
	assert_output --partial "inet 10.200.3.2/24"
}

# bats test_tags=ex:04_4
@test "04.4 netwire up sets links up: the container's probe shows lo and eth0 up" {
	start_container
	ip -n "$NET_HOST" link add ve-a type veth peer name eth0 netns "$CONTAINER_PID"
	in_container "$CONTAINER_PID" ip address add 10.200.4.2/24 dev eth0
	run in_container "$CONTAINER_PID" "$ROOTFS/bin/probe" net
	assert_line "netif=lo down"

	run netwire up lo --pid "$CONTAINER_PID"
	assert_success
	run netwire up eth0 --pid "$CONTAINER_PID"
	assert_success
	run netwire up ve-a
	assert_success
	run in_container "$CONTAINER_PID" "$ROOTFS/bin/probe" net
	assert_line --regexp '^netif=lo up 127\.0\.0\.1/8'
	assert_line --regexp '^netif=eth0 up 10\.200\.4\.2/24'
	run ip -n "$NET_HOST" -o link show ve-a
	assert_output --partial ",UP"
}

# bats test_tags=ex:04_5
@test "04.5 netwire route-default gives the container a default route" {
	start_container
	ip -n "$NET_HOST" link add ve-a type veth peer name eth0 netns "$CONTAINER_PID"
	in_container "$CONTAINER_PID" ip address add 10.200.5.2/24 dev eth0
	in_container "$CONTAINER_PID" ip link set eth0 up

	run netwire route-default 10.200.5.1 --pid "$CONTAINER_PID"
	assert_success
	run in_container "$CONTAINER_PID" ip route show default
	assert_output --regexp '^default via 10\.200\.5\.1 dev eth0'
	# A gateway off every subnet is refused by the kernel.
	run netwire route-default 10.99.0.1 --pid "$CONTAINER_PID"
	assert_one_error_line
	assert_output --partial "add default route via 10.99.0.1: Network is unreachable"
}

# bats test_tags=ex:04_5
@test "04.5 attach: the container sees lo and eth0 with its address, and a default route" {
	start_container
	run netwire bridge create br0 --address 10.200.6.1/24
	assert_success
	run netwire attach --bridge br0 --pid "$CONTAINER_PID" --name web --address 10.200.6.2/24
	assert_success
	assert_output ""
	run in_container "$CONTAINER_PID" "$ROOTFS/bin/probe" net
	assert_line --regexp '^netif=lo up 127\.0\.0\.1/8'
	assert_line --regexp '^netif=eth0 up 10\.200\.6\.2/24'
	[[ ${#lines[@]} -eq 2 ]] || fail "expected lo and eth0 only, got: $output"
	run in_container "$CONTAINER_PID" ip route show default
	assert_output --regexp '^default via 10\.200\.6\.1 dev eth0'
	# The host end is on the bridge, up, named after the container.
	run ip -n "$NET_HOST" -o link show veth-web
	assert_output --partial "master br0"
	assert_output --partial ",UP"
	# The container reaches its gateway, the bridge.
	run in_container "$CONTAINER_PID" "$BUSYBOX" ping -c 1 -W 2 10.200.6.1
	assert_success
}

# bats test_tags=ex:04_5
@test "04.5 two containers on the bridge reach each other" {
	start_container
	local web=$CONTAINER_PID
	start_container
	local db=$CONTAINER_PID
	netwire bridge create br0 --address 10.200.7.1/24
	# Creating the bridge again reuses it.
	run netwire bridge create br0 --address 10.200.7.1/24
	assert_success
	netwire attach --bridge br0 --pid "$web" --name web --address 10.200.7.2/24
	netwire attach --bridge br0 --pid "$db" --name db --address 10.200.7.3/24
	serve_in_container "$db" "served by db"

	run in_container "$web" "$BUSYBOX" ping -c 1 -W 2 10.200.7.3
	assert_success
	run fetch_in_container "$web" http://10.200.7.3/
	assert_success
	assert_output "served by db"
}

# bats test_tags=ex:04_6
@test "04.6 a container reaches the outside only after masquerade, seen there as the host" {
	make_outside
	start_container
	netwire bridge create br0 --address 10.200.8.1/24
	netwire attach --bridge br0 --pid "$CONTAINER_PID" --name web --address 10.200.8.2/24
	# Forwarding alone is not enough: the outside has no route back to
	# 10.200.8.0/24, so its answers never arrive.
	in_host sysctl -qw net.ipv4.ip_forward=1
	run fetch_in_container "$CONTAINER_PID" "http://$OUTSIDE_ADDRESS/cgi-bin/whoami"
	assert_failure

	run netwire masquerade --subnet 10.200.8.0/24
	assert_success
	run fetch_in_container "$CONTAINER_PID" "http://$OUTSIDE_ADDRESS/cgi-bin/whoami"
	assert_success
	assert_output "$HOST_UPLINK_ADDRESS"
	run host_ruleset
	assert_output --partial "table ip cfs_netwire"
	assert_output --partial "ip saddr 10.200.8.0/24 ip daddr != 10.200.8.0/24 masquerade"

	# Again: the rule is replaced, not added twice; then taken away.
	netwire masquerade --subnet 10.200.8.0/24
	run host_ruleset
	[[ $(grep -c masquerade <<<"$output") -eq 2 ]] || fail "expected one rule, got: $output"
	run netwire unmasquerade --subnet 10.200.8.0/24
	assert_success
	run fetch_in_container "$CONTAINER_PID" "http://$OUTSIDE_ADDRESS/cgi-bin/whoami"
	assert_failure
}

# bats test_tags=ex:04_7
@test "04.7 a published port answers with the container's server, from outside and from the host" {
	make_outside
	start_container
	netwire bridge create br0 --address 10.200.9.1/24
	netwire attach --bridge br0 --pid "$CONTAINER_PID" --name web --address 10.200.9.2/24
	serve_in_container "$CONTAINER_PID" "served by web"

	run netwire publish --host-port 8080 --to 10.200.9.2:80
	assert_success
	run fetch_in_outside "http://$HOST_UPLINK_ADDRESS:8080/"
	assert_output "served by web"
	run fetch_in_host "http://$HOST_UPLINK_ADDRESS:8080/"
	assert_output "served by web"
	run fetch_in_host "http://127.0.0.1:8080/"
	assert_output "served by web"

	run netwire unpublish --host-port 8080
	assert_success
	run fetch_in_outside "http://$HOST_UPLINK_ADDRESS:8080/"
	assert_failure
	run host_ruleset
	refute_output --partial "dport 8080"
}

@test "netwire remove leaves no link, nft rule or namespace behind" {
	make_outside
	start_container
	local container=$CONTAINER_PID
	netwire bridge create br0 --address 10.200.10.1/24
	netwire attach --bridge br0 --pid "$container" --name web --address 10.200.10.2/24
	netwire masquerade --subnet 10.200.10.0/24
	netwire publish --host-port 8080 --to 10.200.10.2:80
	# A bridge netwire did not make is left alone.
	ip -n "$NET_HOST" link add theirs type bridge

	run netwire detach --name web
	assert_success
	run in_container "$container" ip -o link show eth0
	assert_failure
	run netwire detach --name web
	assert_success

	netwire attach --bridge br0 --pid "$container" --name web --address 10.200.10.2/24
	run netwire remove
	assert_success
	run host_links
	assert_output "$(printf 'lo\nup0\ntheirs')"
	run host_ruleset
	assert_output ""
	run in_container "$container" "$ROOTFS/bin/probe" net
	assert_output "netif=lo up 127.0.0.1/8 ::1/128"
	# Removing again is fine.
	run netwire remove
	assert_success
	# The container's namespace goes with its process; the machine's own
	# namespace never saw any of it.
	kill_process "$container"
	run ip link show
	refute_output --partial "veth-web"
	refute_output --partial "br0"
}

@test "netwire attach: an unknown PID is one clear line and changes nothing" {
	ip -n "$NET_HOST" link add br0 type bridge
	run netwire attach --bridge br0 --pid 999999999 --name web --address 10.200.11.2/24
	assert_one_error_line
	assert_output "netwire: process 999999999: No such process"
	run host_links
	assert_output "$(printf 'lo\nbr0')"
}

@test "netwire attach: an address already in use is one clear line and changes nothing" {
	start_container
	ip -n "$NET_HOST" link add br0 type bridge
	ip -n "$NET_HOST" address add 10.200.12.1/24 dev br0
	run netwire attach --bridge br0 --pid "$CONTAINER_PID" --name web --address 10.200.12.1/24
	assert_one_error_line
	assert_output "netwire: address 10.200.12.1/24: already used by br0 on this host"
	run host_links
	assert_output "$(printf 'lo\nbr0')"
	run in_container "$CONTAINER_PID" "$ROOTFS/bin/probe" net
	assert_output "netif=lo down"
}

@test "netwire attach: an address another container has is refused" {
	start_container
	local web=$CONTAINER_PID
	start_container
	netwire bridge create br0 --address 10.200.13.1/24
	netwire attach --bridge br0 --pid "$web" --name web --address 10.200.13.2/24
	run netwire attach --bridge br0 --pid "$CONTAINER_PID" --name db --address 10.200.13.2/24
	assert_one_error_line
	assert_output "netwire: address 10.200.13.2/24: already used by container web"
	run ip -n "$NET_HOST" link show veth-db
	assert_failure
}

@test "netwire: a bad CIDR is one clear line and changes nothing" {
	start_container
	ip -n "$NET_HOST" link add br0 type bridge
	for bad in 10.200.14.300/24 10.200.14.2/33 10.200.14.2 not-an-address; do
		run netwire attach --bridge br0 --pid "$CONTAINER_PID" --name web --address "$bad"
		assert_one_error_line
		assert_output --partial "netwire: address $bad: not an IPv4 address with a prefix length"
	done
	run netwire bridge create br1 --address 10.200.14.1
	assert_one_error_line
	run netwire masquerade --subnet 10.200.14.0/40
	assert_one_error_line
	run host_links
	assert_output "$(printf 'lo\nbr0')"
	run host_ruleset
	assert_output ""
}

@test "netwire: an interface name that is too long is one clear line and changes nothing" {
	start_container
	ip -n "$NET_HOST" link add br0 type bridge
	run netwire attach --bridge br0 --pid "$CONTAINER_PID" --name elevenchars --address 10.200.15.2/24
	assert_one_error_line
	assert_output --partial "netwire: container name elevenchars: too long (at most 10 characters"
	run netwire bridge create a-bridge-name-too-long
	assert_one_error_line
	assert_output --partial "name too long"
	run host_links
	assert_output "$(printf 'lo\nbr0')"
}

@test "netwire attach: a missing bridge is one clear line" {
	start_container
	run netwire attach --bridge nosuchbr --pid "$CONTAINER_PID" --name web --address 10.200.16.2/24
	assert_one_error_line
	assert_output --partial "netwire: bridge nosuchbr: no such bridge"
}

@test "netwire: usage errors and --help" {
	run "$BIN/netwire"
	assert_equal "$status" 2
	run "$BIN/netwire" attach --bridge br0
	assert_equal "$status" 2
	assert_output --partial "missing --name"
	run "$BIN/netwire" frobnicate
	assert_equal "$status" 2
	run "$BIN/netwire" attach --bogus
	assert_equal "$status" 2
	assert_one_error_line
	run "$BIN/netwire" --help
	assert_success
	assert_output --partial "usage: netwire"
}
