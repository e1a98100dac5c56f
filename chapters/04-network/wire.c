/* wire.c: the whole job, built from the exercises: a bridge on the host,
 * a container wired to it, and removing all of it (chapter 04). Not an
 * exercise: the same in both trees. See net.h.
 *
 * What this module made is marked in the kernel itself, in the links'
 * alias (`ip link show` prints it): "netwire bridge" on a bridge it
 * created, "netwire container NAME ADDRESS" on the host end of a
 * container's veth pair. That is how attach knows an address is taken and
 * how remove knows what to delete, with no state file to go stale: a mark
 * disappears with its link.
 *
 * Read: veth(4), network_namespaces(7), ip-link(8), bridge(8).
 */
#include "net.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MARK_BRIDGE "netwire bridge"
#define MARK_CONTAINER "netwire container "

static uint32_t subnet_mask(int prefix_length)
{
	return prefix_length == 0 ? 0 : htonl(~0u << (32 - prefix_length));
}

/* ---- who uses an address */

struct address_search {
	struct in_addr address;
	int ifindex; /* of the link holding it, or 0 */
	char used_by[NET_IFNAME_MAX + 32];
};

static int on_address(int ifindex, struct in_addr address, int prefix_length, void *data)
{
	struct address_search *search = data;

	(void)prefix_length;
	if (search->ifindex == 0 && address.s_addr == search->address.s_addr)
		search->ifindex = ifindex;
	return 0;
}

/* A container's address is in its own namespace, out of our sight: the
 * mark on the host end of its veth pair says which it is. */
static int on_marked_link(const struct net_link_info *link, void *data)
{
	struct address_search *search = data;
	char name[64], cidr[64];
	struct in_addr address;

	if (strncmp(link->alias, MARK_CONTAINER, strlen(MARK_CONTAINER)) != 0)
		return 0;
	if (sscanf(link->alias + strlen(MARK_CONTAINER), "%63s %63s", name, cidr) != 2)
		return 0;
	char *slash = strchr(cidr, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, cidr, &address) == 1 && address.s_addr == search->address.s_addr)
		snprintf(search->used_by, sizeof search->used_by, "container %.20s", name);
	return 0;
}

/* Reports "address A: already used by ..." and returns -1 when the host
 * or a container wired by this module already has the address. */
static int check_address_free(struct net_handle *host, const char *cidr, struct in_addr address)
{
	struct address_search search = {.address = address};

	if (net_address_each(host, on_address, &search) != 0 ||
	    net_link_each(host, on_marked_link, &search) != 0)
		return -1;
	if (search.ifindex != 0) {
		char name[IF_NAMESIZE] = "?";
		if_indextoname((unsigned int)search.ifindex, name);
		return fail_msg("address %s: already used by %s on this host", cidr, name);
	}
	if (search.used_by[0] != '\0')
		return fail_msg("address %s: already used by %s", cidr, search.used_by);
	return 0;
}

struct first_address {
	int ifindex;
	int found;
	struct in_addr address;
	int prefix_length;
};

static int on_first_address(int ifindex, struct in_addr address, int prefix_length, void *data)
{
	struct first_address *first = data;

	if (!first->found && ifindex == first->ifindex) {
		first->found = 1;
		first->address = address;
		first->prefix_length = prefix_length;
	}
	return 0;
}

/* ---- the bridge */

// tag::bridge-setup[]
int net_bridge_setup(const char *bridge, const char *address_cidr)
{
	struct net_handle host;
	struct net_link_info link;
	struct in_addr address;
	int prefix_length, status = -1;

	if (net_check_ifname(bridge, "bridge") != 0)
		return -1;
	if (address_cidr && net_parse_ipv4(address_cidr, &address, &prefix_length) != 0)
		return -1;
	if (net_open(&host) != 0)
		return -1;
	int found = net_link_lookup(&host, bridge, &link);
	if (found < 0)
		goto out;
	if (found && strcmp(link.kind, "bridge") != 0) {
		fail_msg("bridge %s: a link of that name exists and is not a bridge (it is %s)", bridge,
			 link.kind[0] ? link.kind : "a device");
		goto out;
	}
	/* Reused as it is when it already has the address. */
	int has_address = 0;
	if (address_cidr) {
		struct address_search search = {.address = address};
		if (net_address_each(&host, on_address, &search) != 0)
			goto out;
		if (search.ifindex != 0 && (!found || search.ifindex != link.index)) {
			fail_msg("address %s: already used by another interface of this host", address_cidr);
			goto out;
		}
		has_address = search.ifindex != 0;
		if (!has_address && check_address_free(&host, address_cidr, address) != 0)
			goto out;
	}
	int created = 0;
	if (!found) {
		/* ip link add NAME type bridge; marked as ours, for remove. */
		if (net_bridge_create(&host, bridge) != 0)
			goto out;
		created = 1;
		if (net_link_set_alias(&host, bridge, MARK_BRIDGE) != 0)
			goto undo;
	}
	/* ip address add CIDR dev NAME; ip link set NAME up */
	if (address_cidr && !has_address && net_address_add(&host, bridge, address_cidr) != 0)
		goto undo;
	if (net_link_set_up(&host, bridge) != 0)
		goto undo;
	status = 0;
	goto out;
undo:
	if (created)
		net_link_delete(&host, bridge);
out:
	net_close(&host);
	return status;
}
// end::bridge-setup[]

/* ---- a container */

static int check_container_name(const char *name, char *host_end, char *peer_end)
{
	if (name == NULL || name[0] == '\0')
		return fail_msg("container name: empty");
	if (strlen(name) > NET_CONTAINER_NAME_MAX)
		return fail_msg("container name %s: too long (at most %d characters: the host end "
				"of its veth pair is veth-NAME, and interface names have at most %d)",
				name, NET_CONTAINER_NAME_MAX, NET_IFNAME_MAX);
	if (net_check_ifname(name, "container name") != 0)
		return -1;
	snprintf(host_end, NET_IFNAME_MAX + 1, "veth-%s", name);
	snprintf(peer_end, NET_IFNAME_MAX + 1, "peer-%s", name);
	return 0;
}

// tag::attach-checks[]
/* Everything attach needs, checked before anything is changed. */
static int check_attach(struct net_handle *host, struct net_handle *container,
			const struct net_container_link *link, const char *host_end,
			const char *peer_end, char *gateway, size_t gateway_size)
{
	struct in_addr address, gateway_address;
	int prefix_length;
	struct net_link_info bridge;

	if (net_parse_ipv4(link->address, &address, &prefix_length) != 0)
		return -1;
	if (link->gateway && net_parse_ipv4(link->gateway, &gateway_address, NULL) != 0)
		return -1;
	int found = net_link_lookup(host, link->bridge, &bridge);
	if (found < 0)
		return -1;
	if (!found || strcmp(bridge.kind, "bridge") != 0)
		return fail_msg("bridge %s: no such bridge (netwire bridge create %s --address ...)",
				link->bridge, link->bridge);
	if (net_link_lookup(host, host_end, NULL) != 0)
		return fail_msg("container %s: already attached (%s exists)", link->name, host_end);
	if (net_link_lookup(host, peer_end, NULL) != 0)
		return fail_msg("interface %s: already exists", peer_end);
	if (check_address_free(host, link->address, address) != 0)
		return -1;
	if (link->gateway == NULL) {
		/* The default gateway is the bridge: its address. */
		struct first_address first = {.ifindex = bridge.index};
		if (net_address_each(host, on_first_address, &first) != 0)
			return -1;
		if (!first.found)
			return fail_msg("bridge %s: has no address to be the gateway (give --gateway)",
					link->bridge);
		gateway_address = first.address;
	}
	inet_ntop(AF_INET, &gateway_address, gateway, (socklen_t)gateway_size);
	if ((gateway_address.s_addr & subnet_mask(prefix_length)) !=
	    (address.s_addr & subnet_mask(prefix_length)))
		return fail_msg("gateway %s: not on the subnet of %s", gateway, link->address);
	if (gateway_address.s_addr == address.s_addr)
		return fail_msg("address %s: it is the gateway's", link->address);
	/* The container's side: a fresh namespace has only lo. */
	if (net_link_lookup(container, "eth0", NULL) != 0)
		return fail_msg("container %s: its network namespace already has an eth0", link->name);
	return 0;
}
// end::attach-checks[]

int net_container_attach(const struct net_container_link *link)
{
	struct net_handle host = {0}, container = {0};
	char host_end[NET_IFNAME_MAX + 1], peer_end[NET_IFNAME_MAX + 1], gateway[INET_ADDRSTRLEN];
	char mark[256];
	int netns_fd = link->netns_fd, status = -1, made = 0;

	if (check_container_name(link->name, host_end, peer_end) != 0)
		return -1;
	if (link->bridge == NULL || net_check_ifname(link->bridge, "bridge") != 0)
		return link->bridge ? -1 : fail_msg("container %s: no bridge given", link->name);
	/* Hold the namespace open: the process may exit meanwhile, the
	 * namespace we checked is the one we wire. */
	if (netns_fd < 0 && (netns_fd = net_netns_open_of(link->pid)) < 0)
		return -1;
	if (net_open(&host) != 0 || net_open_in_netns(&container, netns_fd) != 0)
		goto out;
	if (check_attach(&host, &container, link, host_end, peer_end, gateway, sizeof gateway) != 0)
		goto out;

	// tag::attach-steps[]
	/* ip link add veth-NAME type veth peer name peer-NAME */
	if (net_veth_pair_create(&host, host_end, peer_end) != 0)
		goto out;
	made = 1;
	snprintf(mark, sizeof mark, MARK_CONTAINER "%s %s", link->name, link->address);
	/* ip link set veth-NAME alias "netwire container NAME ADDRESS"
	 * ip link set veth-NAME master BRIDGE; ip link set veth-NAME up */
	if (net_link_set_alias(&host, host_end, mark) != 0 ||
	    net_link_set_master(&host, host_end, link->bridge) != 0 ||
	    net_link_set_up(&host, host_end) != 0)
		goto out;
	/* ip link set peer-NAME netns PID */
	if (net_link_move_to_netns(&host, peer_end, netns_fd) != 0)
		goto out;
	/* Inside: ip link set peer-NAME name eth0; ip address add ADDRESS
	 * dev eth0; ip link set eth0 up; ip link set lo up;
	 * ip route add default via GATEWAY */
	if (net_link_rename(&container, peer_end, "eth0") != 0 ||
	    net_address_add(&container, "eth0", link->address) != 0 ||
	    net_link_set_up(&container, "eth0") != 0 || net_link_set_up(&container, "lo") != 0 ||
	    net_route_add_default(&container, gateway) != 0)
		goto out;
	// end::attach-steps[]
	status = 0;
out:
	/* Deleting the host end takes its peer along, wherever it is. */
	if (status != 0 && made)
		net_link_delete(&host, host_end);
	net_close(&container);
	net_close(&host);
	if (link->netns_fd < 0 && netns_fd >= 0)
		close(netns_fd);
	return status;
}

int net_container_detach(const char *name)
{
	struct net_handle host;
	char host_end[NET_IFNAME_MAX + 1], peer_end[NET_IFNAME_MAX + 1];

	if (check_container_name(name, host_end, peer_end) != 0 || net_open(&host) != 0)
		return -1;
	int status = net_link_delete(&host, host_end);
	net_close(&host);
	return status;
}

/* ---- remove everything */

struct marked_links {
	char containers[256][NET_IFNAME_MAX + 1];
	int container_count;
	char bridges[64][NET_IFNAME_MAX + 1];
	int bridge_count;
};

static int collect_marked(const struct net_link_info *link, void *data)
{
	struct marked_links *marked = data;

	if (strncmp(link->alias, MARK_CONTAINER, strlen(MARK_CONTAINER)) == 0 &&
	    marked->container_count < 256)
		snprintf(marked->containers[marked->container_count++], NET_IFNAME_MAX + 1, "%s",
			 link->name);
	else if (strcmp(link->alias, MARK_BRIDGE) == 0 && marked->bridge_count < 64)
		snprintf(marked->bridges[marked->bridge_count++], NET_IFNAME_MAX + 1, "%s", link->name);
	return 0;
}

int net_remove_all(void)
{
	static struct marked_links marked;
	struct net_handle host;
	int status = 0;

	memset(&marked, 0, sizeof marked);
	if (net_open(&host) != 0)
		return -1;
	if (net_link_each(&host, collect_marked, &marked) != 0) {
		net_close(&host);
		return -1;
	}
	/* Containers first: a bridge that goes first leaves its ports behind. */
	for (int i = 0; i < marked.container_count; i++)
		status |= net_link_delete(&host, marked.containers[i]);
	for (int i = 0; i < marked.bridge_count; i++)
		status |= net_link_delete(&host, marked.bridges[i]);
	net_close(&host);
	status |= net_nat_remove_all();
	return status ? -1 : 0;
}
