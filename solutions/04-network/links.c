/* links.c: links, addresses and routes as rtnetlink messages (chapter 04).
 *
 * Every function here builds one request, the same one `ip` would send,
 * and hands it to net_request (netlink.c), which sends it and waits for
 * the kernel's ack. A request is a struct nlmsghdr, then a fixed header
 * for its family (struct ifinfomsg for links, ifaddrmsg for addresses,
 * rtmsg for routes), then attributes (type, length, value), some nested.
 * See it yourself: `ip -d monitor` or `strace -e sendmsg ip link ...`.
 *
 * Read: rtnetlink(7), netlink(7), veth(4), ip-link(8), ip-address(8),
 * ip-route(8), linux/if_link.h, linux/veth.h, linux/rtnetlink.h.
 */
#include "net.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

/* Start an RTM_NEWLINK request that changes the existing link ifname:
 * the header, then the ifinfomsg naming the link by its index. Returns
 * NULL (after reporting) when there is no such link. */
static struct nlmsghdr *start_link_change(struct net_handle *handle, char *buffer,
					  const char *ifname)
{
	struct net_link_info link;
	int found = net_link_lookup(handle, ifname, &link);

	if (found < 0)
		return NULL;
	if (found == 0) {
		errno = ENODEV;
		fail_errno("interface %s", ifname);
		return NULL;
	}
	struct nlmsghdr *request = mnl_nlmsg_put_header(buffer);
	request->nlmsg_type = RTM_NEWLINK;
	struct ifinfomsg *ifinfo = mnl_nlmsg_put_extra_header(request, sizeof *ifinfo);
	ifinfo->ifi_family = AF_UNSPEC;
	ifinfo->ifi_index = link.index;
	return request;
}

// tag::veth-pair-create[]
int net_veth_pair_create(struct net_handle *handle, const char *name, const char *peer_name)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];

	if (net_check_ifname(name, "interface") != 0 || net_check_ifname(peer_name, "interface") != 0)
		return -1;
	// BEGIN SOLUTION 04.1: create a veth pair
	// HINT: An RTM_NEWLINK request with NLM_F_CREATE | NLM_F_EXCL and an ifinfomsg (family
	// HINT: AF_UNSPEC, index 0), then IFLA_IFNAME = name and a nest IFLA_LINKINFO holding
	// HINT: IFLA_INFO_KIND = "veth" and a nest IFLA_INFO_DATA, which holds a nest
	// HINT: VETH_INFO_PEER: a second ifinfomsg (mnl_nlmsg_put_extra_header) followed by
	// HINT: IFLA_IFNAME = peer_name. Close each nest with mnl_attr_nest_end, then net_request.
	struct nlmsghdr *request = mnl_nlmsg_put_header(buffer);
	request->nlmsg_type = RTM_NEWLINK;
	/* Create, and fail if a link of that name already exists. */
	request->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	struct ifinfomsg *ifinfo = mnl_nlmsg_put_extra_header(request, sizeof *ifinfo);
	ifinfo->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(request, IFLA_IFNAME, name);

	/* The link's type and its type-specific data, nested:
	 * LINKINFO { KIND "veth", DATA { PEER { ifinfomsg, IFNAME peer } } } */
	struct nlattr *linkinfo = mnl_attr_nest_start(request, IFLA_LINKINFO);
	mnl_attr_put_strz(request, IFLA_INFO_KIND, "veth");
	struct nlattr *data = mnl_attr_nest_start(request, IFLA_INFO_DATA);
	struct nlattr *peer = mnl_attr_nest_start(request, VETH_INFO_PEER);
	/* The peer is described like a whole link: its own ifinfomsg first,
	 * then its attributes. put_extra_header appends zeroed bytes at the
	 * end of the message, wherever that is: here, inside the nest. */
	struct ifinfomsg *peer_ifinfo = mnl_nlmsg_put_extra_header(request, sizeof *peer_ifinfo);
	peer_ifinfo->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(request, IFLA_IFNAME, peer_name);
	mnl_attr_nest_end(request, peer);
	mnl_attr_nest_end(request, data);
	mnl_attr_nest_end(request, linkinfo);

	return net_request(handle, request, NULL, NULL, "create veth pair %s <-> %s", name,
			   peer_name);
	// END SOLUTION
	// STUB: return lab_todo("04.1");
}
// end::veth-pair-create[]

// tag::bridge-create[]
int net_bridge_create(struct net_handle *handle, const char *name)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];

	if (net_check_ifname(name, "bridge") != 0)
		return -1;
	/* ip link add NAME type bridge: a link with a kind and no data. */
	struct nlmsghdr *request = mnl_nlmsg_put_header(buffer);
	request->nlmsg_type = RTM_NEWLINK;
	request->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	struct ifinfomsg *ifinfo = mnl_nlmsg_put_extra_header(request, sizeof *ifinfo);
	ifinfo->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(request, IFLA_IFNAME, name);
	struct nlattr *linkinfo = mnl_attr_nest_start(request, IFLA_LINKINFO);
	mnl_attr_put_strz(request, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(request, linkinfo);
	return net_request(handle, request, NULL, NULL, "create bridge %s", name);
}
// end::bridge-create[]

// tag::link-move[]
/* attribute is IFLA_NET_NS_PID (value: a PID) or IFLA_NET_NS_FD (an fd). */
static int link_move(struct net_handle *handle, const char *ifname, int attribute, int value,
		     const char *target)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];

	// BEGIN SOLUTION 04.2: move a link into another network namespace
	// HINT: start_link_change(handle, buffer, ifname) gives an RTM_NEWLINK request for the
	// HINT: link; add one u32 attribute (mnl_attr_put_u32): `attribute` with `value`. The
	// HINT: kernel moves the link to that process's (or that fd's) network namespace.
	struct nlmsghdr *request = start_link_change(handle, buffer, ifname);
	if (request == NULL)
		return -1;
	/* "Set this link's namespace": the kernel takes it out of ours, with
	 * its addresses and routes flushed, and it appears, down, in the
	 * target namespace under the same name. */
	mnl_attr_put_u32(request, (uint16_t)attribute, (uint32_t)value);
	return net_request(handle, request, NULL, NULL, "move %s into %s", ifname, target);
	// END SOLUTION
	// STUB: return lab_todo("04.2");
}

int net_link_move_to_netns_of(struct net_handle *handle, const char *ifname, pid_t pid)
{
	char target[64];

	snprintf(target, sizeof target, "the network namespace of process %d", (int)pid);
	return link_move(handle, ifname, IFLA_NET_NS_PID, (int)pid, target);
}

int net_link_move_to_netns(struct net_handle *handle, const char *ifname, int netns_fd)
{
	return link_move(handle, ifname, IFLA_NET_NS_FD, netns_fd, "the network namespace");
}
// end::link-move[]

// tag::address-add[]
int net_address_add(struct net_handle *handle, const char *ifname, const char *cidr)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	struct in_addr address;
	int prefix_length;
	struct net_link_info link;

	if (net_parse_ipv4(cidr, &address, &prefix_length) != 0)
		return -1;
	int found = net_link_lookup(handle, ifname, &link);
	if (found <= 0) {
		errno = ENODEV;
		return found < 0 ? -1 : fail_errno("interface %s", ifname);
	}
	// BEGIN SOLUTION 04.3: add an address to a link
	// HINT: RTM_NEWADDR with NLM_F_CREATE | NLM_F_EXCL and a struct ifaddrmsg: family
	// HINT: AF_INET, ifa_prefixlen, ifa_index = link.index (ifa_scope RT_SCOPE_UNIVERSE).
	// HINT: Then the address twice, as IFA_LOCAL and IFA_ADDRESS: mnl_attr_put_u32 with
	// HINT: address.s_addr (already in network byte order).
	struct nlmsghdr *request = mnl_nlmsg_put_header(buffer);
	request->nlmsg_type = RTM_NEWADDR;
	request->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	struct ifaddrmsg *ifaddr = mnl_nlmsg_put_extra_header(request, sizeof *ifaddr);
	ifaddr->ifa_family = AF_INET;
	ifaddr->ifa_prefixlen = (unsigned char)prefix_length;
	ifaddr->ifa_scope = RT_SCOPE_UNIVERSE;
	ifaddr->ifa_index = (unsigned int)link.index;
	/* IFA_LOCAL is our address; IFA_ADDRESS is the other end's on a
	 * point-to-point link, and the same on a broadcast one like ours. */
	mnl_attr_put_u32(request, IFA_LOCAL, address.s_addr);
	mnl_attr_put_u32(request, IFA_ADDRESS, address.s_addr);
	return net_request(handle, request, NULL, NULL, "add address %s to %s", cidr, ifname);
	// END SOLUTION
	// STUB: return lab_todo("04.3");
}
// end::address-add[]

// tag::link-set-up[]
int net_link_set_up(struct net_handle *handle, const char *ifname)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];

	// BEGIN SOLUTION 04.4: set a link up
	// HINT: start_link_change gives the RTM_NEWLINK request; get its ifinfomsg with
	// HINT: mnl_nlmsg_get_payload and set IFF_UP in both ifi_flags (the new value) and
	// HINT: ifi_change (the mask of flags to change). No attribute; then net_request.
	struct nlmsghdr *request = start_link_change(handle, buffer, ifname);
	if (request == NULL)
		return -1;
	struct ifinfomsg *ifinfo = mnl_nlmsg_get_payload(request);
	/* ifi_change says which flags to touch, ifi_flags their new value:
	 * only IFF_UP here, every other flag stays as it is. */
	ifinfo->ifi_flags = IFF_UP;
	ifinfo->ifi_change = IFF_UP;
	return net_request(handle, request, NULL, NULL, "set %s up", ifname);
	// END SOLUTION
	// STUB: return lab_todo("04.4");
}
// end::link-set-up[]

// tag::route-add-default[]
int net_route_add_default(struct net_handle *handle, const char *gateway)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	struct in_addr gateway_address;

	if (net_parse_ipv4(gateway, &gateway_address, NULL) != 0)
		return -1;
	// BEGIN SOLUTION 04.5: add the default route
	// HINT: RTM_NEWROUTE with NLM_F_CREATE | NLM_F_EXCL and a struct rtmsg: family AF_INET,
	// HINT: rtm_dst_len 0 (the default route matches every destination), table RT_TABLE_MAIN,
	// HINT: protocol RTPROT_BOOT, scope RT_SCOPE_UNIVERSE, type RTN_UNICAST. One attribute:
	// HINT: RTA_GATEWAY = gateway_address.s_addr. The kernel finds the interface itself.
	struct nlmsghdr *request = mnl_nlmsg_put_header(buffer);
	request->nlmsg_type = RTM_NEWROUTE;
	request->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	struct rtmsg *route = mnl_nlmsg_put_extra_header(request, sizeof *route);
	route->rtm_family = AF_INET;
	route->rtm_dst_len = 0; /* 0.0.0.0/0: no RTA_DST needed */
	route->rtm_table = RT_TABLE_MAIN;
	route->rtm_protocol = RTPROT_BOOT; /* what `ip route add` says: set by an admin */
	route->rtm_scope = RT_SCOPE_UNIVERSE;
	route->rtm_type = RTN_UNICAST;
	/* Through which neighbour: the kernel picks the interface whose
	 * subnet holds the gateway, and refuses (ENETUNREACH) if none does. */
	mnl_attr_put_u32(request, RTA_GATEWAY, gateway_address.s_addr);
	return net_request(handle, request, NULL, NULL, "add default route via %s", gateway);
	// END SOLUTION
	// STUB: return lab_todo("04.5");
}
// end::route-add-default[]

// tag::link-rename[]
int net_link_rename(struct net_handle *handle, const char *ifname, const char *new_name)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];

	if (net_check_ifname(new_name, "interface") != 0)
		return -1;
	struct nlmsghdr *request = start_link_change(handle, buffer, ifname);
	if (request == NULL)
		return -1;
	/* Changing IFLA_IFNAME of a link found by index renames it. */
	mnl_attr_put_strz(request, IFLA_IFNAME, new_name);
	return net_request(handle, request, NULL, NULL, "rename %s to %s", ifname, new_name);
}
// end::link-rename[]

// tag::link-set-master[]
int net_link_set_master(struct net_handle *handle, const char *ifname, const char *bridge)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	struct net_link_info bridge_link;

	int found = net_link_lookup(handle, bridge, &bridge_link);
	if (found <= 0) {
		errno = ENODEV;
		return found < 0 ? -1 : fail_errno("bridge %s", bridge);
	}
	struct nlmsghdr *request = start_link_change(handle, buffer, ifname);
	if (request == NULL)
		return -1;
	/* Plug the cable into the switch: the bridge is the link's master. */
	mnl_attr_put_u32(request, IFLA_MASTER, (uint32_t)bridge_link.index);
	return net_request(handle, request, NULL, NULL, "attach %s to bridge %s", ifname, bridge);
}
// end::link-set-master[]

int net_link_set_alias(struct net_handle *handle, const char *ifname, const char *alias)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];

	struct nlmsghdr *request = start_link_change(handle, buffer, ifname);
	if (request == NULL)
		return -1;
	mnl_attr_put_strz(request, IFLA_IFALIAS, alias);
	return net_request(handle, request, NULL, NULL, "set the alias of %s", ifname);
}

// tag::link-delete[]
int net_link_delete(struct net_handle *handle, const char *ifname)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	struct net_link_info link;

	int found = net_link_lookup(handle, ifname, &link);
	if (found <= 0)
		return found; /* 0: already gone, which is what we wanted */
	struct nlmsghdr *request = mnl_nlmsg_put_header(buffer);
	request->nlmsg_type = RTM_DELLINK;
	struct ifinfomsg *ifinfo = mnl_nlmsg_put_extra_header(request, sizeof *ifinfo);
	ifinfo->ifi_family = AF_UNSPEC;
	ifinfo->ifi_index = link.index;
	if (net_request(handle, request, NULL, NULL, "delete %s", ifname) == 0)
		return 0;
	/* It went away between the lookup and now: fine too. */
	return errno == ENODEV ? 0 : -1;
}
// end::link-delete[]
