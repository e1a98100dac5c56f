/* netwire: give processes in their own network namespaces a network: a
 * bridge on the host, a veth pair per container, NAT to the outside and
 * published ports (chapter 04).
 *
 *   netwire bridge create NAME [--address CIDR]
 *   netwire attach --bridge NAME (--pid PID | --netns PATH) --name NAME --address CIDR [--gateway IP]
 *   netwire detach --name NAME
 *   netwire masquerade --subnet CIDR [--out IFACE]      netwire unmasquerade --subnet CIDR
 *   netwire publish --host-port PORT --to IP:PORT [--protocol tcp|udp]
 *   netwire unpublish --host-port PORT [--protocol tcp|udp]
 *   netwire remove
 * and the steps of attach, one at a time, as the chapter walks through them:
 *   netwire veth NAME PEER | move IFACE (--pid PID | --netns PATH) [--name NEW]
 *   netwire address IFACE CIDR [--pid PID] | up IFACE [--pid PID] | route-default IP [--pid PID]
 *
 * It works in the network namespace it runs in, which plays the host
 * (try it inside `ip netns exec NAME`). Exit status 0, 1 when the
 * operation fails, 2 for a usage error.
 *
 * Read: rtnetlink(7), veth(4), network_namespaces(7), ip-link(8), nft(8).
 */
#include "net.h"
#include "util.h"

#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_USAGE 2

static void usage(FILE *out)
{
	fprintf(out,
		"usage: netwire COMMAND [OPTIONS]\n"
		"\n"
		"Wire processes that have network namespaces of their own to this one, the host.\n"
		"\n"
		"  bridge create NAME [--address CIDR]   create a bridge (or reuse it), address it, set it up\n"
		"  attach --bridge NAME (--pid PID | --netns PATH) --name NAME --address CIDR [--gateway IP]\n"
		"                                        veth-NAME on the bridge, its peer as eth0 inside,\n"
		"                                        addressed and up, lo up, default route via the\n"
		"                                        gateway (default: the bridge's address)\n"
		"  detach --name NAME                    remove the container's veth pair\n"
		"  masquerade --subnet CIDR [--out IFACE]  NAT what leaves the subnet; turn on forwarding\n"
		"  unmasquerade --subnet CIDR            stop it\n"
		"  publish --host-port PORT --to IP:PORT [--protocol tcp|udp]\n"
		"                                        forward the host's PORT to a container\n"
		"  unpublish --host-port PORT [--protocol tcp|udp]\n"
		"  remove                                remove every link netwire made and its nft table\n"
		"\n"
		"The steps of attach, one at a time:\n"
		"  veth NAME PEER                        create a veth pair\n"
		"  move IFACE (--pid PID | --netns PATH) [--name NEW]\n"
		"                                        move a link into a process's network namespace\n"
		"  address IFACE CIDR [--pid PID]        add an address (in PID's namespace)\n"
		"  up IFACE [--pid PID]                  set a link up\n"
		"  route-default GATEWAY [--pid PID]     add the default route\n"
		"\n"
		"Container names have at most %d characters. netwire works in the network namespace\n"
		"it runs in. Exit status: 0, 1 if the operation fails, 2 for a usage error. Needs root.\n",
		NET_CONTAINER_NAME_MAX);
}

struct arguments {
	const char *address, *bridge, *netns, *name, *gateway, *subnet, *out, *to, *protocol;
	const char *host_port, *pid;
	char **positional;
	int positional_count;
};

static int usage_error(const char *message, const char *detail)
{
	fprintf(stderr, "netwire: %s%s%s (try netwire --help)\n", message, detail ? " " : "",
		detail ? detail : "");
	return EXIT_USAGE;
}

/* Read the options after the command words into args. Returns 0, or an
 * exit status. */
static int parse_options(int argc, char **argv, struct arguments *args)
{
	static const struct option options[] = {
		{"address", required_argument, NULL, 'a'}, {"bridge", required_argument, NULL, 'b'},
		{"pid", required_argument, NULL, 'p'},     {"netns", required_argument, NULL, 'N'},
		{"name", required_argument, NULL, 'n'},    {"gateway", required_argument, NULL, 'g'},
		{"subnet", required_argument, NULL, 's'},  {"out", required_argument, NULL, 'o'},
		{"host-port", required_argument, NULL, 'P'}, {"to", required_argument, NULL, 't'},
		{"protocol", required_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int option;

	optind = 1;
	opterr = 0; /* one line of our own instead of getopt's */
	while ((option = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (option) {
		case 'a': args->address = optarg; break;
		case 'b': args->bridge = optarg; break;
		case 'p': args->pid = optarg; break;
		case 'N': args->netns = optarg; break;
		case 'n': args->name = optarg; break;
		case 'g': args->gateway = optarg; break;
		case 's': args->subnet = optarg; break;
		case 'o': args->out = optarg; break;
		case 'P': args->host_port = optarg; break;
		case 't': args->to = optarg; break;
		case 'r': args->protocol = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: return usage_error("bad option", argv[optind - 1]);
		}
	}
	args->positional = &argv[optind];
	args->positional_count = argc - optind;
	return 0;
}

static int need(const char *value, const char *option)
{
	return value ? 0 : usage_error("missing", option);
}

static int parse_pid(const char *text, pid_t *pid)
{
	long value;

	if (parse_long(text, 1, INT_MAX, &value) != 0) {
		fprintf(stderr, "netwire: --pid %s: not a process ID\n", text);
		return -1;
	}
	*pid = (pid_t)value;
	return 0;
}

static int parse_port(const char *text, int *port)
{
	long value;

	if (text == NULL || parse_long(text, 1, 65535, &value) != 0) {
		fprintf(stderr, "netwire: port %s: not a port number (1 to 65535)\n",
			text ? text : "(none)");
		return -1;
	}
	*port = (int)value;
	return 0;
}

/* A handle on the namespace of --pid if given, else on our own. */
static int open_target(const struct arguments *args, struct net_handle *handle)
{
	pid_t pid;

	if (args->pid == NULL)
		return net_open(handle);
	if (parse_pid(args->pid, &pid) != 0)
		return -1;
	return net_open_in_netns_of(handle, pid);
}

/* The steps one at a time: veth, move, address, up, route-default. */
static int run_step(const char *command, const struct arguments *args)
{
	struct net_handle handle = {0};
	char **words = args->positional;
	int count = args->positional_count, status = -1;

	if (strcmp(command, "veth") == 0) {
		if (count != 2)
			return usage_error("veth needs NAME and PEER", NULL);
		if (net_open(&handle) == 0)
			status = net_veth_pair_create(&handle, words[0], words[1]);
	} else if (strcmp(command, "move") == 0) {
		if (count != 1 || (args->pid == NULL) == (args->netns == NULL))
			return usage_error("move needs IFACE and one of --pid or --netns", NULL);
		int netns_fd = -1;
		pid_t pid = 0;
		if (args->netns != NULL) {
			netns_fd = open(args->netns, O_RDONLY | O_CLOEXEC);
			if (netns_fd < 0)
				return fail_errno("network namespace %s", args->netns), 1;
		} else if (parse_pid(args->pid, &pid) != 0) {
			return 1;
		}
		if (net_open(&handle) == 0)
			status = netns_fd >= 0 ? net_link_move_to_netns(&handle, words[0], netns_fd)
					       : net_link_move_to_netns_of(&handle, words[0], pid);
		net_close(&handle);
		/* --name: rename it there, talking to that namespace now. */
		if (status == 0 && args->name != NULL) {
			status = netns_fd >= 0 ? net_open_in_netns(&handle, netns_fd)
					       : net_open_in_netns_of(&handle, pid);
			if (status == 0)
				status = net_link_rename(&handle, words[0], args->name);
		}
		if (netns_fd >= 0)
			close(netns_fd);
	} else if (strcmp(command, "address") == 0) {
		if (count != 2)
			return usage_error("address needs IFACE and CIDR", NULL);
		if (open_target(args, &handle) == 0)
			status = net_address_add(&handle, words[0], words[1]);
	} else if (strcmp(command, "up") == 0) {
		if (count != 1)
			return usage_error("up needs IFACE", NULL);
		if (open_target(args, &handle) == 0)
			status = net_link_set_up(&handle, words[0]);
	} else {
		if (count != 1)
			return usage_error("route-default needs GATEWAY", NULL);
		if (open_target(args, &handle) == 0)
			status = net_route_add_default(&handle, words[0]);
	}
	net_close(&handle);
	return status == 0 ? 0 : 1;
}

// tag::attach[]
static int run_attach(const struct arguments *args)
{
	struct net_container_link link = {
		.bridge = args->bridge, .name = args->name, .netns_fd = -1,
		.address = args->address, .gateway = args->gateway,
	};
	int exit_status = need(args->bridge, "--bridge") ?: need(args->name, "--name")
				?: need(args->address, "--address");
	if (exit_status)
		return exit_status;
	if ((args->pid == NULL) == (args->netns == NULL))
		return usage_error("attach needs one of --pid or --netns", NULL);
	if (args->netns != NULL) {
		link.netns_fd = open(args->netns, O_RDONLY | O_CLOEXEC);
		if (link.netns_fd < 0)
			return fail_errno("network namespace %s", args->netns), 1;
	} else if (parse_pid(args->pid, &link.pid) != 0) {
		return 1;
	}
	int status = net_container_attach(&link);
	if (link.netns_fd >= 0)
		close(link.netns_fd);
	return status == 0 ? 0 : 1;
}
// end::attach[]

static int run_publish(const struct arguments *args, int publish)
{
	const char *protocol = args->protocol ? args->protocol : "tcp";
	int host_port, container_port;
	char ip[64];

	int exit_status = need(args->host_port, "--host-port");
	if (exit_status)
		return exit_status;
	if (parse_port(args->host_port, &host_port) != 0)
		return 1;
	if (!publish)
		return net_port_unpublish(protocol, host_port) == 0 ? 0 : 1;
	if ((exit_status = need(args->to, "--to")))
		return exit_status;
	const char *colon = strrchr(args->to, ':');
	if (colon == NULL || (size_t)(colon - args->to) >= sizeof ip) {
		fprintf(stderr, "netwire: --to %s: not IP:PORT\n", args->to);
		return 1;
	}
	snprintf(ip, sizeof ip, "%.*s", (int)(colon - args->to), args->to);
	if (parse_port(colon + 1, &container_port) != 0)
		return 1;
	return net_port_publish(protocol, host_port, ip, container_port) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct arguments args = {0};

	if (argc < 2)
		return usage_error("missing COMMAND", NULL);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	const char *command = argv[1];
	int words = 2;
	if (strcmp(command, "bridge") == 0) {
		if (argc < 3 || strcmp(argv[2], "create") != 0)
			return usage_error("bridge: the command is", "bridge create NAME");
		words = 3;
	}
	int status = parse_options(argc - words + 1, argv + words - 1, &args);
	if (status)
		return status;

	if (strcmp(command, "bridge") == 0) {
		if (args.positional_count != 1)
			return usage_error("bridge create needs NAME", NULL);
		return net_bridge_setup(args.positional[0], args.address) == 0 ? 0 : 1;
	}
	if (args.positional_count != 0 && strcmp(command, "veth") != 0 &&
	    strcmp(command, "move") != 0 && strcmp(command, "address") != 0 &&
	    strcmp(command, "up") != 0 && strcmp(command, "route-default") != 0)
		return usage_error("unexpected argument", args.positional[0]);
	if (strcmp(command, "attach") == 0)
		return run_attach(&args);
	if (strcmp(command, "detach") == 0)
		return need(args.name, "--name") ?: (net_container_detach(args.name) == 0 ? 0 : 1);
	if (strcmp(command, "masquerade") == 0)
		return need(args.subnet, "--subnet")
			?: (net_masquerade_enable(args.subnet, args.out) == 0 ? 0 : 1);
	if (strcmp(command, "unmasquerade") == 0)
		return need(args.subnet, "--subnet") ?: (net_masquerade_disable(args.subnet) == 0 ? 0 : 1);
	if (strcmp(command, "publish") == 0)
		return run_publish(&args, 1);
	if (strcmp(command, "unpublish") == 0)
		return run_publish(&args, 0);
	if (strcmp(command, "remove") == 0)
		return net_remove_all() == 0 ? 0 : 1;
	if (strcmp(command, "veth") == 0 || strcmp(command, "move") == 0 ||
	    strcmp(command, "address") == 0 || strcmp(command, "up") == 0 ||
	    strcmp(command, "route-default") == 0)
		return run_step(command, &args);
	return usage_error("unknown command", command);
}
