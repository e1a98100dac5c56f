/* nat.c: masquerade and published ports as nft rules (chapter 04).
 *
 * The rules are written in nft's own language and handed to libnftables,
 * the library behind the `nft` command: the text a reader would type is
 * exactly what the program runs, in one transaction (all or nothing).
 * Everything lives in one table this module owns, `table ip cfs_netwire`,
 * one base chain per masqueraded subnet or published port, so that taking
 * one away is deleting its chain, and removing everything is deleting the
 * table: never a rule of anyone else's.
 *
 * Read: nft(8) (NAT STATEMENTS, FIB EXPRESSIONS, CT EXPRESSIONS),
 * libnftables(3), ip-sysctl.txt (ip_forward, route_localnet) in the
 * kernel's Documentation/networking.
 */
#include "net.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

// tag::nft-run[]
/* Run nft commands (one transaction). Returns 0, or -1 after reporting
 * "WHAT: nft's first error line". quiet: report nothing. */
static int nft_run(const char *commands, const char *what, int quiet)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (nft == NULL)
		return fail_errno("%s: nft_ctx_new", what);
	/* Keep nft's output and errors in memory instead of on our stdout. */
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	int status = nft_run_cmd_from_buffer(nft, commands);
	if (status != 0 && !quiet) {
		/* nft's error is several lines (the command, a caret line):
		 * the first says it all. */
		const char *error = nft_ctx_get_error_buffer(nft);
		int length = (int)strcspn(error ? error : "", "\n");
		fail_msg("%s: %.*s", what, length, length ? error : "nft failed");
	}
	nft_ctx_free(nft);
	return status == 0 ? 0 : -1;
}
// end::nft-run[]

/* Whether table ip cfs_netwire (and, if chain is not NULL, that chain in
 * it) exists. */
static int nft_exists(const char *chain)
{
	char command[256];

	if (chain)
		snprintf(command, sizeof command, "list chain ip %s %s", NET_NFT_TABLE, chain);
	else
		snprintf(command, sizeof command, "list table ip %s", NET_NFT_TABLE);
	return nft_run(command, "list", 1) == 0;
}

/* 10.200.0.7/24 -> "10.200.0.0/24": the subnet itself, so that the same
 * subnet always gets the same chain. */
static int canonical_subnet(const char *cidr, char *subnet, size_t size)
{
	struct in_addr address;
	int prefix_length;
	char text[INET_ADDRSTRLEN];

	if (net_parse_ipv4(cidr, &address, &prefix_length) != 0)
		return -1;
	uint32_t mask = prefix_length == 0 ? 0 : htonl(~0u << (32 - prefix_length));
	address.s_addr &= mask;
	inet_ntop(AF_INET, &address, text, sizeof text);
	snprintf(subnet, size, "%s/%d", text, prefix_length);
	return 0;
}

// tag::forwarding[]
/* A host only passes packets between its interfaces when forwarding is
 * on. The knob is per network namespace: /proc/sys/net shows the one of
 * the process that opens it. */
static int forwarding_enable(void)
{
	return write_file("/proc/sys/net/ipv4/ip_forward", "1");
}
// end::forwarding[]

// tag::masquerade[]
int net_masquerade_enable(const char *subnet_cidr, const char *out_ifname)
{
	char subnet[32], out_match[64] = "", commands[1024];

	if (canonical_subnet(subnet_cidr, subnet, sizeof subnet) != 0)
		return -1;
	if (out_ifname != NULL) {
		if (net_check_ifname(out_ifname, "interface") != 0)
			return -1;
		snprintf(out_match, sizeof out_match, "oifname \"%s\" ", out_ifname);
	}
	// TODO 04.6: the masquerade rule
	// HINT: Write nft commands into `commands` (snprintf), one per line: add table ip
	// HINT: NET_NFT_TABLE; add chain ... masquerade_SUBNET { type nat hook postrouting
	// HINT: priority srcnat; }; flush that chain (so a second call replaces the rule); and
	// HINT: add rule ... ip saddr SUBNET ip daddr != SUBNET, then out_match, then masquerade.
	return lab_todo("04.6");
	char what[64];
	snprintf(what, sizeof what, "masquerade %s", subnet);
	if (nft_run(commands, what, 0) != 0)
		return -1;
	return forwarding_enable();
}
// end::masquerade[]

int net_masquerade_disable(const char *subnet_cidr)
{
	char subnet[32], chain[64], command[256], what[64];

	if (canonical_subnet(subnet_cidr, subnet, sizeof subnet) != 0)
		return -1;
	snprintf(chain, sizeof chain, "masquerade_%s", subnet);
	if (!nft_exists(chain))
		return 0;
	snprintf(command, sizeof command, "delete chain ip %s %s", NET_NFT_TABLE, chain);
	snprintf(what, sizeof what, "stop masquerading %s", subnet);
	return nft_run(command, what, 0);
}

struct subnet_search {
	struct in_addr target;
	int ifindex;
};

static int find_subnet(int ifindex, struct in_addr address, int prefix_length, void *data)
{
	struct subnet_search *search = data;
	uint32_t mask = prefix_length == 0 ? 0 : htonl(~0u << (32 - prefix_length));

	if (search->ifindex == 0 && (address.s_addr & mask) == (search->target.s_addr & mask))
		search->ifindex = ifindex;
	return 0;
}

/* The interface whose subnet holds address, in name (IF_NAMESIZE). */
static int interface_toward(struct in_addr address, const char *text, char *name)
{
	struct net_handle handle;
	struct subnet_search search = {address, 0};

	if (net_open(&handle) != 0)
		return -1;
	int status = net_address_each(&handle, find_subnet, &search);
	net_close(&handle);
	if (status != 0)
		return -1;
	if (search.ifindex == 0 || if_indextoname((unsigned int)search.ifindex, name) == NULL)
		return fail_msg("publish to %s: no interface of this host is on its subnet", text);
	return 0;
}

static int check_protocol_and_port(const char *protocol, int port)
{
	if (protocol == NULL || (strcmp(protocol, "tcp") != 0 && strcmp(protocol, "udp") != 0))
		return fail_msg("protocol %s: not tcp or udp", protocol ? protocol : "(none)");
	if (port < 1 || port > 65535)
		return fail_msg("port %d: not between 1 and 65535", port);
	return 0;
}

// tag::publish[]
int net_port_publish(const char *protocol, int host_port, const char *container_ip,
		     int container_port)
{
	struct in_addr container_address;
	char interface[IF_NAMESIZE], commands[2048], path[128], what[128];

	if (check_protocol_and_port(protocol, host_port) != 0 ||
	    check_protocol_and_port(protocol, container_port) != 0 ||
	    net_parse_ipv4(container_ip, &container_address, NULL) != 0 ||
	    interface_toward(container_address, container_ip, interface) != 0)
		return -1;
	// TODO 04.7: the DNAT rules of a published port
	// HINT: Into `commands`: add table; a chain publish_PROTOCOL_PORT hooked at prerouting
	// HINT: (type nat hook prerouting priority dstnat), flushed, with the rule
	// HINT: "fib daddr type local PROTOCOL dport PORT dnat to IP:PORT"; the same rule in a
	// HINT: chain publish_PROTOCOL_PORT_local at the output hook (priority -100) for the
	// HINT: host's own connections; and a chain localhost_masquerade (postrouting, srcnat),
	// HINT: flushed, with "ip saddr 127.0.0.0/8 ct status dnat masquerade".
	return lab_todo("04.7");
	snprintf(what, sizeof what, "publish %s port %d", protocol, host_port);
	if (nft_run(commands, what, 0) != 0)
		return -1;
	/* A packet from 127.0.0.1 may only leave by a real interface when
	 * route_localnet is on there (otherwise it is a "martian"). */
	snprintf(path, sizeof path, "/proc/sys/net/ipv4/conf/%s/route_localnet", interface);
	if (write_file(path, "1") != 0)
		return -1;
	return forwarding_enable();
}
// end::publish[]

int net_port_unpublish(const char *protocol, int host_port)
{
	char chain[64], commands[256], what[64];

	if (check_protocol_and_port(protocol, host_port) != 0)
		return -1;
	snprintf(chain, sizeof chain, "publish_%s_%d", protocol, host_port);
	if (!nft_exists(chain))
		return 0;
	snprintf(commands, sizeof commands, "delete chain ip %1$s %2$s\ndelete chain ip %1$s %2$s_local\n",
		 NET_NFT_TABLE, chain);
	snprintf(what, sizeof what, "unpublish %s port %d", protocol, host_port);
	return nft_run(commands, what, 0);
}

int net_nat_remove_all(void)
{
	char command[128];

	if (!nft_exists(NULL))
		return 0;
	snprintf(command, sizeof command, "delete table ip %s", NET_NFT_TABLE);
	return nft_run(command, "remove the nft table", 0);
}
