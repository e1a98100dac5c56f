/* net.h: wiring a container's network namespace to the host (chapter 04).
 *
 * The module behind `netwire`, reused by minirun (chapter 08). Links,
 * addresses and routes are netlink messages sent with libmnl; NAT and
 * port publishing are nft rules run through libnftables, all in one table
 * this module owns (`table ip cfs_netwire`). IPv4 only.
 *
 * Everything needs CAP_NET_ADMIN in the network namespace it changes;
 * reaching into another process's namespace (net_open_in_netns*) also
 * needs CAP_SYS_ADMIN. Every function returns 0 (or what it says) on
 * success, or reports one line on stderr and returns -1 with errno set.
 *
 * How the runtime (chapter 08) gives a container its network, between
 * "create" (the process exists, in its own empty network namespace, and
 * waits) and "start" (it runs the user's program):
 *
 *     net_bridge_setup("cfs0", "10.200.0.1/24");          once; reuses an existing bridge
 *     net_masquerade_enable("10.200.0.0/24", NULL);       once, to reach beyond the host
 *     struct net_container_link link = {
 *             .bridge = "cfs0", .name = id, .pid = pid, .netns_fd = -1,
 *             .address = "10.200.0.2/24", .gateway = NULL,  // NULL: the bridge's address
 *     };
 *     net_container_attach(&link);                        veth-ID <-> eth0 in pid's netns
 *     net_port_publish("tcp", 8080, "10.200.0.2", 80);    optional
 *
 * and tears it down when the container is deleted:
 *
 *     net_port_unpublish("tcp", 8080);
 *     net_container_detach(id);      (the veth also dies with the namespace)
 *     net_remove_all();              when no container is left: every link this
 *                                    module made, and its nft table
 *
 * Read: rtnetlink(7), netlink(7), veth(4), ip-link(8), ip-address(8),
 * ip-route(8), network_namespaces(7), setns(2), nft(8), libnftables(3),
 * the libmnl examples (/usr/share/doc/libmnl-dev/examples).
 */
#ifndef LAB_NET_H
#define LAB_NET_H

#include <netinet/in.h>
#include <stdarg.h>
#include <sys/types.h>

struct mnl_socket;
struct nlmsghdr;

/* A netlink connection to the routing subsystem (NETLINK_ROUTE) of one
 * network namespace: the one the socket was opened in, for its whole life. */
struct net_handle {
	struct mnl_socket *socket;
	unsigned int port_id;
	unsigned int sequence;
	char kernel_message[256]; /* the kernel's own words for the last error, if any */
};

/* The longest interface name (IFNAMSIZ - 1), and so the longest container
 * name, since the host end of its veth pair is "veth-NAME" (and, briefly,
 * the other end "peer-NAME"). */
#define NET_IFNAME_MAX 15
#define NET_CONTAINER_NAME_MAX (NET_IFNAME_MAX - 5)

/* ---- netlink plumbing (chapters/04-network/netlink.c, not exercises) */

/* Open a netlink route socket in the caller's network namespace. */
int net_open(struct net_handle *handle);

/* Open one in the network namespace that netns_fd (an open
 * /proc/PID/ns/net or a bind mount of one) refers to: setns(2) there,
 * open the socket, setns(2) back. Needs CAP_SYS_ADMIN. */
int net_open_in_netns(struct net_handle *handle, int netns_fd);

/* The same for the network namespace of process pid. Reports
 * "process PID: No such process" for a PID that does not exist. */
int net_open_in_netns_of(struct net_handle *handle, pid_t pid);

/* Close the socket (a handle that is not open is fine). */
void net_close(struct net_handle *handle);

/* Open /proc/PID/ns/net (O_RDONLY | O_CLOEXEC). Returns the fd. */
int net_netns_open_of(pid_t pid);

/* Send one request (NLM_F_REQUEST | NLM_F_ACK are added) and wait for the
 * kernel's answer. Each answer message goes to on_reply (may be NULL).
 * On error reports "WHAT: REASON (the kernel's message)". */
int net_request(struct net_handle *handle, struct nlmsghdr *request,
		int (*on_reply)(const struct nlmsghdr *reply, void *data), void *data,
		const char *what_format, ...) __attribute__((format(printf, 5, 6)));

/* Send a dump request (NLM_F_DUMP) and pass every answer to on_reply. */
int net_dump(struct net_handle *handle, struct nlmsghdr *request,
	     int (*on_reply)(const struct nlmsghdr *reply, void *data), void *data,
	     const char *what);

/* What the module needs to know about one link. */
struct net_link_info {
	int index;
	char name[NET_IFNAME_MAX + 1];
	char kind[32];    /* "veth", "bridge", ... ("" when the kernel says none) */
	int master_index; /* the bridge it is attached to, 0 if none */
	char alias[256];  /* ip link set NAME alias TEXT; "" if none */
	unsigned int flags; /* IFF_UP, ... */
};

/* Look a link up by name. Returns 1 and fills info, 0 (quietly) if there
 * is no such link, -1 on error. info may be NULL. */
int net_link_lookup(struct net_handle *handle, const char *ifname, struct net_link_info *info);

/* Call each_link for every link of the handle's namespace; it returns 0
 * to go on. Returns 0, or -1 on error. */
int net_link_each(struct net_handle *handle,
		  int (*each_link)(const struct net_link_info *link, void *data), void *data);

/* Call each_address for every IPv4 address of the handle's namespace. */
int net_address_each(struct net_handle *handle,
		     int (*each_address)(int ifindex, struct in_addr address, int prefix_length,
					 void *data),
		     void *data);

/* Parse "10.200.0.2/24" (prefix_length may be NULL: then "10.200.0.2" is
 * expected). Reports "address TEXT: not ..." and returns -1 when it is
 * not one. */
int net_parse_ipv4(const char *text, struct in_addr *address, int *prefix_length);

/* Check that name can be an interface name: 1 to 15 characters, letters,
 * digits, '-', '_' or '.'. what names it in the error ("bridge name"). */
int net_check_ifname(const char *name, const char *what);

/* ---- links, addresses, routes (solutions/04-network/links.c) */

/* Exercise 04.1: create a veth pair, two linked interfaces name and
 * peer_name, both in the handle's namespace, both down. */
int net_veth_pair_create(struct net_handle *handle, const char *name, const char *peer_name);

/* Create a bridge (ip link add NAME type bridge), down, no address. */
int net_bridge_create(struct net_handle *handle, const char *name);

/* Exercise 04.2: move the link ifname from the handle's namespace into
 * the network namespace of process pid (by PID) or of netns_fd (an open
 * /proc/PID/ns/net). The link keeps its name and is down there. */
int net_link_move_to_netns_of(struct net_handle *handle, const char *ifname, pid_t pid);
int net_link_move_to_netns(struct net_handle *handle, const char *ifname, int netns_fd);

/* Exercise 04.3: add an IPv4 address with its prefix ("10.200.0.2/24")
 * to ifname; the kernel adds the route to the subnet by itself. */
int net_address_add(struct net_handle *handle, const char *ifname, const char *cidr);

/* Exercise 04.4: set ifname up (ip link set NAME up). */
int net_link_set_up(struct net_handle *handle, const char *ifname);

/* Exercise 04.5: add the default route via gateway ("10.200.0.1"), which
 * must be on the subnet of one of the namespace's addresses. */
int net_route_add_default(struct net_handle *handle, const char *gateway);

/* Rename a link, which must be down (ip link set NAME name NEW). */
int net_link_rename(struct net_handle *handle, const char *ifname, const char *new_name);

/* Attach ifname to the bridge (ip link set NAME master BRIDGE). */
int net_link_set_master(struct net_handle *handle, const char *ifname, const char *bridge);

/* Set the link's alias (ip link set NAME alias TEXT): this module writes
 * "netwire ..." there, to know later which links it made. */
int net_link_set_alias(struct net_handle *handle, const char *ifname, const char *alias);

/* Delete a link (both ends of a veth pair go). A link that does not
 * exist is fine: returns 0. */
int net_link_delete(struct net_handle *handle, const char *ifname);

/* ---- NAT and published ports (solutions/04-network/nat.c), in the
 * caller's network namespace, in table ip cfs_netwire */

#define NET_NFT_TABLE "cfs_netwire"

/* Exercise 04.6: masquerade what leaves subnet_cidr for elsewhere (out of
 * out_ifname only, or any interface if NULL), and turn on IPv4
 * forwarding. Calling it again for the same subnet replaces the rule. */
int net_masquerade_enable(const char *subnet_cidr, const char *out_ifname);

/* Remove that rule; a subnet that was not masqueraded is fine. */
int net_masquerade_disable(const char *subnet_cidr);

/* Exercise 04.7: forward connections to host_port on any of the host's
 * addresses (from outside, and from the host itself, 127.0.0.1 included)
 * to container_ip:container_port. protocol is "tcp" or "udp". Turns on
 * forwarding, and route_localnet on the interface that leads to
 * container_ip. Publishing the same port again replaces its target. */
int net_port_publish(const char *protocol, int host_port, const char *container_ip,
		     int container_port);

/* Stop publishing host_port; a port that was not published is fine. */
int net_port_unpublish(const char *protocol, int host_port);

/* Delete the whole table ip cfs_netwire, if there is one. */
int net_nat_remove_all(void);

/* ---- the whole job (chapters/04-network/wire.c), in the caller's
 * network namespace, which plays the host */

/* Create the bridge (or reuse one of that name), give it the address
 * (if not NULL and not there yet), and set it up. */
int net_bridge_setup(const char *bridge, const char *address_cidr);

/* What net_container_attach needs. */
struct net_container_link {
	const char *bridge;  /* an existing bridge in this namespace */
	const char *name;    /* at most NET_CONTAINER_NAME_MAX characters */
	pid_t pid;           /* a process in the container's network namespace, */
	int netns_fd;        /* or an open /proc/PID/ns/net (then pid is ignored), or -1 */
	const char *address; /* the container's address with its prefix: "10.200.0.2/24" */
	const char *gateway; /* its default route; NULL: the bridge's first address */
};

/* Validate everything first (PID, names, address free, gateway on the
 * subnet); then make veth-NAME on the bridge, up, and its peer eth0 in
 * the container's namespace, addressed, up, with lo up and a default
 * route. On failure, removes what it made. */
int net_container_attach(const struct net_container_link *link);

/* Remove a container's veth pair; an absent one is fine. */
int net_container_detach(const char *name);

/* Remove everything this module made in this namespace: the links it
 * marked as its own (containers' veths, bridges it created) and its nft
 * table. Leaves ip_forward as it is: other software may rely on it. */
int net_remove_all(void);

#endif
