/* netlink.c: the netlink plumbing under chapter 04's exercises: opening a
 * route socket (in this or another network namespace), sending a request
 * and reading the kernel's answer, listing links and addresses. Not an
 * exercise: the same in both trees. See net.h.
 *
 * Read: netlink(7), rtnetlink(7), setns(2), network_namespaces(7),
 * libmnl's examples (/usr/share/doc/libmnl-dev/examples/rtnl).
 */
#include "net.h"
#include "util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Room for a dump's answers: the kernel fills the buffer it is given. */
#define DUMP_BUFFER_SIZE 32768

// tag::open[]
int net_open(struct net_handle *handle)
{
	memset(handle, 0, sizeof *handle);
	handle->socket = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (handle->socket == NULL)
		return fail_errno("open a netlink route socket");
	/* Ask for the kernel's own explanation with each error ("extended
	 * ack"), without the copy of our request it would echo back. */
	int on = 1;
	mnl_socket_setsockopt(handle->socket, NETLINK_EXT_ACK, &on, sizeof on);
	mnl_socket_setsockopt(handle->socket, NETLINK_CAP_ACK, &on, sizeof on);
	if (mnl_socket_bind(handle->socket, 0, MNL_SOCKET_AUTOPID) != 0) {
		fail_errno("bind the netlink route socket");
		net_close(handle);
		return -1;
	}
	handle->port_id = mnl_socket_get_portid(handle->socket);
	handle->sequence = (unsigned int)time(NULL);
	return 0;
}
// end::open[]

// tag::open-in-netns[]
int net_open_in_netns(struct net_handle *handle, int netns_fd)
{
	/* A socket belongs to the network namespace it was created in, for
	 * its whole life. So: step into the target namespace, open the
	 * socket there, and step back. Every message sent on it then talks
	 * to the target's links, addresses and routes. */
	int own_netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (own_netns < 0)
		return fail_errno("open /proc/self/ns/net");
	if (setns(netns_fd, CLONE_NEWNET) != 0) {
		fail_errno("enter the container's network namespace (setns)");
		close(own_netns);
		return -1;
	}
	int status = net_open(handle);
	if (setns(own_netns, CLONE_NEWNET) != 0) {
		/* We would go on working in the wrong namespace: stop. */
		fail_errno("return to our own network namespace (setns)");
		net_close(handle);
		status = -1;
	}
	close(own_netns);
	return status;
}
// end::open-in-netns[]

int net_netns_open_of(pid_t pid)
{
	char path[64];

	if (pid <= 0) {
		errno = ESRCH;
		return fail_errno("process %d", (int)pid);
	}
	snprintf(path, sizeof path, "/proc/%d/ns/net", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			errno = ESRCH;
		return fail_errno("process %d", (int)pid);
	}
	return fd;
}

int net_open_in_netns_of(struct net_handle *handle, pid_t pid)
{
	int netns_fd = net_netns_open_of(pid);
	if (netns_fd < 0)
		return -1;
	int status = net_open_in_netns(handle, netns_fd);
	close(netns_fd);
	return status;
}

void net_close(struct net_handle *handle)
{
	if (handle->socket != NULL)
		mnl_socket_close(handle->socket);
	handle->socket = NULL;
}

/* Collect the kernel's message from an extended ack. */
static int ack_attribute(const struct nlattr *attribute, void *data)
{
	struct net_handle *handle = data;

	if (mnl_attr_get_type(attribute) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(attribute, MNL_TYPE_NUL_STRING) == 0)
		snprintf(handle->kernel_message, sizeof handle->kernel_message, "%s",
			 mnl_attr_get_str(attribute));
	return MNL_CB_OK;
}

/* NLMSG_ERROR carries both the success ack (error 0) and the errors
 * (a negative errno), with the kernel's message in attributes after it. */
static int on_error_message(const struct nlmsghdr *message, void *data)
{
	const struct nlmsgerr *error = mnl_nlmsg_get_payload(message);

	if (message->nlmsg_len < mnl_nlmsg_size(sizeof *error)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (error->error == 0)
		return MNL_CB_STOP;
	if (message->nlmsg_flags & NLM_F_ACK_TLVS) {
		unsigned int offset = sizeof *error;
		if (!(message->nlmsg_flags & NLM_F_CAPPED))
			offset += error->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_parse(message, offset, ack_attribute, data);
	}
	errno = -error->error;
	return MNL_CB_ERROR;
}

/* NLMSG_DONE ends a dump; it may carry an error of its own. */
static int on_done_message(const struct nlmsghdr *message, void *data)
{
	(void)data;
	if (mnl_nlmsg_get_payload_len(message) >= sizeof(int)) {
		int error = *(const int *)mnl_nlmsg_get_payload(message);
		if (error < 0) {
			errno = -error;
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

struct reply_context {
	struct net_handle *handle;
	int (*on_reply)(const struct nlmsghdr *reply, void *data);
	void *data;
};

static int on_data_message(const struct nlmsghdr *message, void *data)
{
	struct reply_context *context = data;

	if (context->on_reply == NULL)
		return MNL_CB_OK;
	return context->on_reply(message, context->data);
}

static int on_error_with_context(const struct nlmsghdr *message, void *data)
{
	struct reply_context *context = data;
	return on_error_message(message, context->handle);
}

/* Send, then read answers until the kernel says done (ack or NLMSG_DONE)
 * or reports an error. Returns 0, or -1 with errno set; prints nothing. */
static int exchange(struct net_handle *handle, struct nlmsghdr *request,
		    int (*on_reply)(const struct nlmsghdr *, void *), void *data, size_t buffer_size)
{
	struct reply_context context = {handle, on_reply, data};
	/* Given a table, libmnl calls only what is in it for control
	 * messages: the end of a dump and errors (acks included). */
	mnl_cb_t control[NLMSG_MIN_TYPE] = {[NLMSG_ERROR] = on_error_with_context,
					    [NLMSG_DONE] = on_done_message};
	char *buffer = malloc(buffer_size);

	if (buffer == NULL)
		return -1;
	handle->kernel_message[0] = '\0';
	request->nlmsg_seq = ++handle->sequence;
	if (mnl_socket_sendto(handle->socket, request, request->nlmsg_len) < 0) {
		free(buffer);
		return -1;
	}
	int status;
	do {
		ssize_t received = mnl_socket_recvfrom(handle->socket, buffer, buffer_size);
		if (received < 0) {
			status = -1;
			break;
		}
		status = mnl_cb_run2(buffer, (size_t)received, request->nlmsg_seq, handle->port_id,
				     on_data_message, &context, control, NLMSG_MIN_TYPE);
	} while (status > 0); /* MNL_CB_OK: more to read; STOP (0): done */
	int saved_errno = errno;
	free(buffer);
	errno = saved_errno;
	return status < 0 ? -1 : 0;
}

static int report(struct net_handle *handle, const char *what)
{
	if (handle->kernel_message[0] != '\0')
		return fail_msg("%s: %s (%s)", what, strerror(errno), handle->kernel_message);
	return fail_errno("%s", what);
}

int net_request(struct net_handle *handle, struct nlmsghdr *request,
		int (*on_reply)(const struct nlmsghdr *reply, void *data), void *data,
		const char *what_format, ...)
{
	request->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (exchange(handle, request, on_reply, data, MNL_SOCKET_BUFFER_SIZE) == 0)
		return 0;
	int saved_errno = errno;
	char what[512];
	va_list args;
	va_start(args, what_format);
	vsnprintf(what, sizeof what, what_format, args);
	va_end(args);
	errno = saved_errno;
	return report(handle, what);
}

int net_dump(struct net_handle *handle, struct nlmsghdr *request,
	     int (*on_reply)(const struct nlmsghdr *reply, void *data), void *data,
	     const char *what)
{
	request->nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
	if (exchange(handle, request, on_reply, data, DUMP_BUFFER_SIZE) == 0)
		return 0;
	return report(handle, what);
}

/* ---- links */

static int link_info_attribute(const struct nlattr *attribute, void *data)
{
	struct net_link_info *info = data;

	switch (mnl_attr_get_type(attribute)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(attribute, MNL_TYPE_NUL_STRING) == 0)
			snprintf(info->name, sizeof info->name, "%s", mnl_attr_get_str(attribute));
		break;
	case IFLA_IFALIAS:
		if (mnl_attr_validate(attribute, MNL_TYPE_NUL_STRING) == 0)
			snprintf(info->alias, sizeof info->alias, "%s", mnl_attr_get_str(attribute));
		break;
	case IFLA_MASTER:
		if (mnl_attr_validate(attribute, MNL_TYPE_U32) == 0)
			info->master_index = (int)mnl_attr_get_u32(attribute);
		break;
	case IFLA_LINKINFO: {
		/* The kind ("veth", "bridge") sits one level down. */
		const struct nlattr *inner;
		mnl_attr_for_each_nested(inner, attribute) {
			if (mnl_attr_get_type(inner) == IFLA_INFO_KIND &&
			    mnl_attr_validate(inner, MNL_TYPE_NUL_STRING) == 0)
				snprintf(info->kind, sizeof info->kind, "%s", mnl_attr_get_str(inner));
		}
		break;
	}
	}
	return MNL_CB_OK;
}

static int parse_link(const struct nlmsghdr *message, struct net_link_info *info)
{
	const struct ifinfomsg *ifinfo = mnl_nlmsg_get_payload(message);

	memset(info, 0, sizeof *info);
	info->index = ifinfo->ifi_index;
	info->flags = ifinfo->ifi_flags;
	return mnl_attr_parse(message, sizeof *ifinfo, link_info_attribute, info);
}

static int on_one_link(const struct nlmsghdr *message, void *data)
{
	if (message->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	return parse_link(message, data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int net_link_lookup(struct net_handle *handle, const char *ifname, struct net_link_info *info)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	struct net_link_info found;

	if (net_check_ifname(ifname, "interface") != 0)
		return -1;
	/* RTM_GETLINK with a name and no index asks for that one link. */
	struct nlmsghdr *request = mnl_nlmsg_put_header(buffer);
	request->nlmsg_type = RTM_GETLINK;
	request->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	struct ifinfomsg *ifinfo = mnl_nlmsg_put_extra_header(request, sizeof *ifinfo);
	ifinfo->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(request, IFLA_IFNAME, ifname);
	if (exchange(handle, request, on_one_link, &found, sizeof buffer) != 0) {
		if (errno == ENODEV)
			return 0;
		return report(handle, "look up interface");
	}
	if (info != NULL)
		*info = found;
	return 1;
}

struct each_link_context {
	int (*each_link)(const struct net_link_info *link, void *data);
	void *data;
};

static int on_link_in_dump(const struct nlmsghdr *message, void *data)
{
	struct each_link_context *context = data;
	struct net_link_info info;

	if (message->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if (parse_link(message, &info) < 0)
		return MNL_CB_ERROR;
	return context->each_link(&info, context->data) == 0 ? MNL_CB_OK : MNL_CB_ERROR;
}

int net_link_each(struct net_handle *handle,
		  int (*each_link)(const struct net_link_info *link, void *data), void *data)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	struct each_link_context context = {each_link, data};

	struct nlmsghdr *request = mnl_nlmsg_put_header(buffer);
	request->nlmsg_type = RTM_GETLINK;
	struct rtgenmsg *family = mnl_nlmsg_put_extra_header(request, sizeof *family);
	family->rtgen_family = AF_UNSPEC;
	return net_dump(handle, request, on_link_in_dump, &context, "list links");
}

/* ---- addresses */

struct each_address_context {
	int (*each_address)(int ifindex, struct in_addr address, int prefix_length, void *data);
	void *data;
};

static int on_address_in_dump(const struct nlmsghdr *message, void *data)
{
	struct each_address_context *context = data;
	const struct ifaddrmsg *ifaddr = mnl_nlmsg_get_payload(message);
	const struct nlattr *attribute;

	if (message->nlmsg_type != RTM_NEWADDR || ifaddr->ifa_family != AF_INET)
		return MNL_CB_OK;
	mnl_attr_for_each(attribute, message, sizeof *ifaddr) {
		/* IFA_LOCAL is the interface's own address (IFA_ADDRESS is
		 * the peer's on point-to-point links). */
		if (mnl_attr_get_type(attribute) != IFA_LOCAL ||
		    mnl_attr_validate(attribute, MNL_TYPE_U32) != 0)
			continue;
		struct in_addr address;
		memcpy(&address, mnl_attr_get_payload(attribute), sizeof address);
		if (context->each_address((int)ifaddr->ifa_index, address, ifaddr->ifa_prefixlen,
					  context->data) != 0)
			return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int net_address_each(struct net_handle *handle,
		     int (*each_address)(int ifindex, struct in_addr address, int prefix_length,
					 void *data),
		     void *data)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	struct each_address_context context = {each_address, data};

	struct nlmsghdr *request = mnl_nlmsg_put_header(buffer);
	request->nlmsg_type = RTM_GETADDR;
	struct rtgenmsg *family = mnl_nlmsg_put_extra_header(request, sizeof *family);
	family->rtgen_family = AF_INET;
	return net_dump(handle, request, on_address_in_dump, &context, "list addresses");
}

/* ---- checking input */

int net_parse_ipv4(const char *text, struct in_addr *address, int *prefix_length)
{
	char copy[INET_ADDRSTRLEN + 4];
	const char *expected = prefix_length ? "an IPv4 address with a prefix length, like 10.200.0.2/24"
					     : "an IPv4 address, like 10.200.0.1";

	if (text == NULL || strlen(text) >= sizeof copy)
		return fail_msg("address %s: not %s", text ? text : "(none)", expected);
	snprintf(copy, sizeof copy, "%s", text);
	char *slash = strchr(copy, '/');
	if ((slash != NULL) != (prefix_length != NULL))
		return fail_msg("address %s: not %s", text, expected);
	if (slash != NULL) {
		long prefix;
		*slash = '\0';
		if (parse_long(slash + 1, 0, 32, &prefix) != 0)
			return fail_msg("address %s: not %s", text, expected);
		*prefix_length = (int)prefix;
	}
	if (inet_pton(AF_INET, copy, address) != 1)
		return fail_msg("address %s: not %s", text, expected);
	return 0;
}

int net_check_ifname(const char *name, const char *what)
{
	size_t length = name ? strlen(name) : 0;

	if (length == 0)
		return fail_msg("%s: empty name", what);
	if (length > NET_IFNAME_MAX)
		return fail_msg("%s %s: name too long (%zu characters; interface names have at most %d)",
				what, name, length, NET_IFNAME_MAX);
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
			return fail_msg("%s %s: only letters, digits, '-', '_' and '.' are allowed", what,
					name);
	return 0;
}
