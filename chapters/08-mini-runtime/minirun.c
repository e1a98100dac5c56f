/* minirun: a small OCI runtime made of the book's modules (chapter 08).
 *
 *   minirun [GLOBAL OPTIONS] COMMAND [OPTIONS] [ID]
 *
 * The command line follows runc's and crun's, so that OCI clients
 * (podman through conmon) can drive it: global --root, --log,
 * --log-format, --debug; commands create, start, state, kill, delete,
 * run, exec, list, ps, pause, resume, spec, validate.
 *
 * Exit status: 0, or 1 when the operation fails (one line on stderr, or
 * in the --log file), 2 for a usage error. `run` exits with the
 * container's status (128+N if killed by signal N).
 *
 * Read: runtime.md of the OCI runtime specification, runc(8)'s man pages
 * (runc-create, runc-start, runc-state, runc-delete), getopt_long(3),
 * fopencookie(3).
 */
#include "container.h"
#include "oci_config.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define EXIT_USAGE 2

static struct {
	const char *root;
	const char *log_path;
	bool log_json;
	bool debug;
} global = {CONTAINER_DEFAULT_STATE_ROOT, NULL, false, false};

/* ---------------------------------------------------------------- logging */

/* With --log, every line minirun would print on stderr goes to the log
 * file instead, as text (time="..." level=error msg="...") or, with
 * --log-format json, one JSON object a line, which is what conmon reads.
 * The stream replaces stderr (util.h's helpers write there); the
 * container's own stderr, file descriptor 2, is left untouched. */
struct log_sink {
	int fd;
	char line[4096];
	size_t length;
};

// tag::log-escape[]
/* A field of a text record, in double quotes: a quote, a backslash or a
 * control character (a newline above all) inside it is escaped, so that
 * a string from config.json can never end the record and start a forged
 * one ("x\nlevel=info msg=..."). */
static void log_quote(FILE *out, const char *text)
{
	fputc('"', out);
	for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
		if (*c == '"' || *c == '\\')
			fprintf(out, "\\%c", *c);
		else if (*c == '\n')
			fputs("\\n", out);
		else if (*c == '\r')
			fputs("\\r", out);
		else if (*c == '\t')
			fputs("\\t", out);
		else if (*c < 0x20 || *c == 0x7f)
			fprintf(out, "\\x%02x", *c);
		else
			fputc(*c, out);
	}
	fputc('"', out);
}
// end::log-escape[]

static void log_flush_line(struct log_sink *sink)
{
	char time_text[64];
	struct timespec now;
	struct tm broken_down;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &broken_down);
	strftime(time_text, sizeof time_text, "%Y-%m-%dT%H:%M:%SZ", &broken_down);
	sink->line[sink->length] = '\0';
	const char *message = sink->line;
	/* Drop our "minirun: " prefix: the log says who wrote it. */
	size_t prefix = strlen(program_invocation_short_name);
	if (strncmp(message, program_invocation_short_name, prefix) == 0 &&
	    strncmp(message + prefix, ": ", 2) == 0)
		message += prefix + 2;
	const char *level = strncmp(message, "warning: ", 9) == 0 ? "warning"
			    : strncmp(message, "debug: ", 7) == 0   ? "debug"
								    : "error";
	char *record = NULL;
	size_t record_size = 0;
	if (global.log_json) {
		json_t *object = json_pack("{s:s, s:s, s:s}", "level", level, "msg", message, "time",
					   time_text);
		char *text = object != NULL ? json_dumps(object, JSON_COMPACT) : NULL;
		if (text != NULL && asprintf(&record, "%s\n", text) < 0)
			record = NULL;
		free(text);
		json_decref(object);
	} else {
		/* The record is made in memory, then written at once. */
		FILE *out = open_memstream(&record, &record_size);
		if (out != NULL) {
			fputs("time=", out);
			log_quote(out, time_text);
			fprintf(out, " level=%s msg=", level);
			log_quote(out, message);
			fputc('\n', out);
			if (fclose(out) != 0) {
				free(record);
				record = NULL;
			}
		}
	}
	if (record != NULL) {
		/* O_APPEND and one write: lines of several runtimes stay whole. */
		if (write(sink->fd, record, strlen(record)) < 0) {
			/* Nowhere left to report it. */
		}
		free(record);
	}
	sink->length = 0;
}

/* The stream is unbuffered: each fprintf of a message reaches us as one
 * call, its newlines and all. A record ends only at a newline that ends
 * a call; a newline inside a message (from a config string) is part of
 * it, and is escaped, never the start of another record. */
static ssize_t log_write(void *cookie, const char *buffer, size_t size)
{
	struct log_sink *sink = cookie;

	for (size_t i = 0; i < size; i++) {
		if (buffer[i] == '\n' && i == size - 1)
			log_flush_line(sink);
		else if (sink->length < sizeof sink->line - 1)
			sink->line[sink->length++] = buffer[i];
		/* else: a message longer than a line is cut, not split (its
		 * tail would be a record of its own). */
	}
	return (ssize_t)size;
}

static int log_open(void)
{
	static struct log_sink sink;
	cookie_io_functions_t functions = {.write = log_write};

	sink.fd = open(global.log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (sink.fd < 0)
		return fail_errno("open log %s", global.log_path);
	FILE *stream = fopencookie(&sink, "w", functions);
	if (stream == NULL)
		return fail_errno("open log %s", global.log_path);
	/* Unbuffered: glibc then formats each fprintf whole and hands it
	 * over in one write (see log_write). */
	setvbuf(stream, NULL, _IONBF, 0);
	stderr = stream;
	return 0;
}

static void debug_msg(const char *format, ...) __attribute__((format(printf, 1, 2)));
static void debug_msg(const char *format, ...)
{
	va_list args;

	if (!global.debug)
		return;
	char *message = NULL;
	va_start(args, format);
	int length = vasprintf(&message, format, args);
	va_end(args);
	if (length < 0)
		return;
	/* One fprintf: with --log, one call is one record (log_write). */
	fprintf(stderr, "%s: debug: %s\n", program_invocation_short_name, message);
	free(message);
}

/* ---------------------------------------------------------------- usage */

static const struct command_help {
	const char *name, *synopsis, *text;
} commands_help[] = {
	{"create", "create [--bundle DIR] [--pid-file FILE] [--console-socket SOCKET] ID",
	 "Make container ID from the bundle (default: the current directory): its\n"
	 "namespaces, root and mounts, with its process waiting to be started.\n"
	 "  -b, --bundle DIR          the bundle holding config.json\n"
	 "      --pid-file FILE       write the container process's PID (host view) to FILE\n"
	 "      --console-socket SOCK for process.terminal: the pty's master is sent there\n"
	 "                            (SCM_RIGHTS); its slave is the container's stdio\n"},
	{"start", "start ID", "Run the program of a created container.\n"},
	{"state", "state ID",
	 "Print the container's state as the OCI spec's JSON: ociVersion, id, status\n"
	 "(creating, created, running, stopped), pid, bundle, annotations.\n"},
	{"kill", "kill [--all] ID [SIGNAL]",
	 "Send SIGNAL (default TERM; a name with or without SIG, or a number) to the\n"
	 "container's process.\n"
	 "  -a, --all  to every process of the container's cgroup\n"},
	{"delete", "delete [--force] ID",
	 "Remove a stopped container. --force kills a live one first, and works from\n"
	 "any state, even a create interrupted half-way.\n"
	 "  -f, --force  kill the container's process if it still runs\n"},
	{"run", "run [--bundle DIR] [-d|--detach] [--pid-file FILE] ID",
	 "create + start, then (unless --detach) wait for the container's process,\n"
	 "delete the container and exit with the process's status.\n"},
	{"exec", "exec [--process FILE] [--detach] [--pid-file FILE] [--tty --console-socket SOCK] ID [--] [CMD...]",
	 "Run another process in a created or running container: in all of its\n"
	 "namespaces and its cgroup, with the container's seccomp profile, and the\n"
	 "user, capabilities, noNewPrivileges, env and cwd of the process given by\n"
	 "--process FILE (a JSON process object, as podman writes) or, with CMD, of\n"
	 "the container's own process running CMD.\n"
	 "  --process FILE         the process to run (instead of CMD)\n"
	 "  -d, --detach           return once it runs (exit status 0)\n"
	 "  --pid-file FILE        write its host PID to FILE\n"
	 "  -t, --tty              give it a terminal (with CMD; --process has \"terminal\")\n"
	 "  --console-socket SOCK  where the terminal's master goes\n"
	 "Exit status: the process's (128+N if killed by signal N), 125 if minirun\n"
	 "fails, 126 if CMD cannot be executed, 127 if it is not found.\n"},
	{"list", "list [--format table|json] [-q]", "List the containers under --root.\n"},
	{"ps", "ps [--format table|json] ID",
	 "List the host PIDs of the container's processes (those of its cgroup).\n"},
	{"pause", "pause ID", "Freeze every process of a running container (the cgroup freezer).\n"},
	{"resume", "resume ID", "Thaw a paused container.\n"},
	{"validate", "validate [--bundle DIR]",
	 "Check the bundle's config.json as create would, and touch nothing.\n"},
	{"spec", "spec [--bundle DIR]",
	 "Write a default config.json (busybox rootfs in ./rootfs, /bin/sh) to the bundle.\n"},
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: minirun [GLOBAL OPTIONS] COMMAND [OPTIONS] [ID]\n"
		"\n"
		"A small OCI runtime: runs the container an OCI bundle describes.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof commands_help / sizeof commands_help[0]; i++)
		fprintf(out, "  %s\n", commands_help[i].synopsis);
	fprintf(out,
		"\n"
		"Global options (before COMMAND):\n"
		"  --root DIR               state directory (default %s)\n"
		"  --log FILE               write errors to FILE instead of stderr\n"
		"  --log-format text|json   format of the --log lines (default text)\n"
		"  --debug                  also log what minirun does\n"
		"  --systemd-cgroup         accepted for compatibility, ignored (cgroupfs only)\n"
		"  -h, --help               this help; `minirun COMMAND --help` for a command's\n"
		"\n"
		"An ID is 1 to 1024 letters, digits, '_', '.', '-', starting with a letter or a\n"
		"digit. Exit status: 0; 1 when the operation fails; 2 on a usage error; `run`\n"
		"exits with the container's status (128+N if killed by signal N). Needs root.\n",
		CONTAINER_DEFAULT_STATE_ROOT);
}

static int command_usage(const char *name, FILE *out)
{
	for (size_t i = 0; i < sizeof commands_help / sizeof commands_help[0]; i++)
		if (strcmp(commands_help[i].name, name) == 0) {
			fprintf(out, "usage: minirun %s\n\n%s", commands_help[i].synopsis,
				commands_help[i].text);
			return 0;
		}
	return -1;
}

static bool command_known(const char *name)
{
	for (size_t i = 0; i < sizeof commands_help / sizeof commands_help[0]; i++)
		if (strcmp(commands_help[i].name, name) == 0)
			return true;
	return false;
}

static int usage_error(const char *command, const char *message)
{
	fprintf(stderr, "minirun %s: %s (try minirun %s --help)\n", command, message, command);
	return EXIT_USAGE;
}

/* ---------------------------------------------------------------- commands */

/* Parse a command's options. Returns -1 to continue, or an exit status. */
struct command_options {
	const char *bundle, *pid_file, *console_socket, *format, *process;
	bool detach, force, all, quiet, tty;
};

static int parse_command_options(const char *command, int argc, char **argv,
				 struct command_options *options)
{
	static const struct option long_options[] = {
		{"bundle", required_argument, NULL, 'b'}, {"pid-file", required_argument, NULL, 'p'},
		{"console-socket", required_argument, NULL, 'c'}, {"detach", no_argument, NULL, 'd'},
		{"force", no_argument, NULL, 'f'}, {"all", no_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'F'}, {"quiet", no_argument, NULL, 'q'},
		{"process", required_argument, NULL, 'P'}, {"help", no_argument, NULL, 'h'},
		{"no-pivot", no_argument, NULL, 'N'}, {"no-new-keyring", no_argument, NULL, 'K'},
		{"tty", no_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	int option;

	memset(options, 0, sizeof *options);
	options->bundle = ".";
	optind = 0; /* 0, not 1: glibc's getopt then forgets the global parse */
	opterr = 0;
	while ((option = getopt_long(argc, argv, "+b:dfaqF:p:th", long_options, NULL)) != -1) {
		switch (option) {
		case 'b': options->bundle = optarg; break;
		case 'p': options->pid_file = optarg; break;
		case 'c': options->console_socket = optarg; break;
		case 'd': options->detach = true; break;
		case 'f': options->force = true; break;
		case 'a': options->all = true; break;
		case 'F': options->format = optarg; break;
		case 'q': options->quiet = true; break;
		case 'P': options->process = optarg; break;
		case 't': options->tty = true; break;
		case 'N': case 'K': break; /* runc's; nothing to do here */
		case 'h': command_usage(command, stdout); return 0;
		default: {
			char message[128];
			snprintf(message, sizeof message, "unknown option %s", argv[optind - 1]);
			return usage_error(command, message);
		}
		}
	}
	return -1;
}

/* The ID argument: present, and valid before anything is touched. */
static const char *take_id(const char *command, int argc, char **argv, int *status)
{
	if (optind >= argc) {
		*status = usage_error(command, "missing container ID");
		return NULL;
	}
	if (container_id_validate(argv[optind]) != 0) {
		*status = 1;
		return NULL;
	}
	return argv[optind++];
}

static int load_state(const char *id, struct container_state *state)
{
	return container_state_read(global.root, id, state);
}

static int command_create(const char *id, const struct command_options *options,
			  struct container_state *state)
{
	struct oci_config config;

	if (oci_config_load(options->bundle, &config) != 0)
		return -1;
	struct container_create_options create = {global.root, id, &config, options->pid_file,
						   options->console_socket, global.debug};
	int result = container_create(&create, state);
	oci_config_free(&config);
	if (result == 0)
		debug_msg("created %s: PID %d", id, (int)state->pid);
	return result;
}

/* The config create kept in the state directory, for the hooks of start
 * and delete. false when there is none (a create that died early) or it
 * has no hooks of this kind. */
static bool load_hooks(const struct container_state *state, enum oci_hook_kind kind,
		       struct oci_config *config)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/%s", state->directory, CONTAINER_CONFIG_FILE);
	if (access(path, F_OK) != 0 || oci_config_load(state->directory, config) != 0)
		return false;
	if (config->hook_count[kind] == 0) {
		oci_config_free(config);
		return false;
	}
	return true;
}

/* start, then the poststart hooks (their failure is a warning: the
 * container runs). */
static int start_with_hooks(struct container_state *state)
{
	struct oci_config config;
	bool has_hooks = load_hooks(state, OCI_HOOK_POSTSTART, &config);
	int result = container_start(state);
	if (has_hooks) {
		if (result == 0)
			container_hooks_run(&config, OCI_HOOK_POSTSTART, state, CONTAINER_RUNNING);
		oci_config_free(&config);
	}
	return result;
}

/* delete, then the poststop hooks (warnings: the container is gone). */
static int delete_with_hooks(struct container_state *state, bool force)
{
	struct oci_config config;
	bool has_hooks = load_hooks(state, OCI_HOOK_POSTSTOP, &config);
	int result = container_delete(state, force);
	if (has_hooks) {
		if (result == 0)
			container_hooks_run(&config, OCI_HOOK_POSTSTOP, state, CONTAINER_STOPPED);
		oci_config_free(&config);
	}
	return result;
}

/* run: the runtime stays the container process's parent, passing on the
 * signals a terminal or a supervisor sends it. */
static volatile pid_t forward_to;
static void forward_signal(int signal)
{
	if (forward_to > 0)
		kill(forward_to, signal);
}

static int command_run(const char *id, const struct command_options *options)
{
	struct container_state state;

	if (command_create(id, options, &state) != 0)
		return 1;
	if (!options->detach) {
		static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
		struct sigaction action = {.sa_handler = forward_signal, .sa_flags = SA_RESTART};
		forward_to = state.pid;
		for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
			sigaction(forwarded[i], &action, NULL);
	}
	if (start_with_hooks(&state) != 0) {
		delete_with_hooks(&state, true);
		container_state_release(&state);
		return 1;
	}
	if (options->detach) {
		container_state_release(&state);
		return 0;
	}
	int wait_status = container_wait(&state);
	int result = delete_with_hooks(&state, true);
	container_state_release(&state);
	if (wait_status < 0 || result != 0)
		return 1;
	return exit_code_from_wait_status(wait_status);
}

static int print_json(json_t *object)
{
	if (object == NULL)
		return fail_msg("out of memory");
	char *text = json_dumps(object, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(object);
	if (text == NULL)
		return fail_msg("out of memory");
	printf("%s\n", text);
	free(text);
	return 0;
}

static int command_list(const struct command_options *options)
{
	bool as_json = options->format != NULL && strcmp(options->format, "json") == 0;
	if (options->format != NULL && !as_json && strcmp(options->format, "table") != 0)
		return fail_msg("list: --format must be table or json");
	json_t *all = json_array();
	DIR *directory = opendir(global.root);
	if (directory == NULL && errno != ENOENT) {
		json_decref(all);
		return fail_errno("open %s", global.root);
	}
	if (!as_json && !options->quiet)
		printf("%-20s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
	struct dirent *entry;
	while (directory != NULL && (entry = readdir(directory)) != NULL) {
		struct container_state state;
		if (entry->d_name[0] == '.' || container_id_validate(entry->d_name) != 0)
			continue;
		if (container_state_read(global.root, entry->d_name, &state) != 0)
			continue;
		enum container_status status = container_status(&state);
		if (options->quiet)
			printf("%s\n", state.id);
		else if (as_json)
			json_array_append_new(all, container_state_to_json(&state, status));
		else
			printf("%-20s %-8d %-10s %-40s %s\n", state.id,
			       status == CONTAINER_STOPPED ? 0 : (int)state.pid,
			       container_status_name(status), state.bundle, state.created);
		container_state_release(&state);
	}
	if (directory != NULL)
		closedir(directory);
	if (as_json && !options->quiet)
		return print_json(all);
	json_decref(all);
	return 0;
}

/* ps: the container's processes are those of its cgroup (chapter 05). */
static int command_ps(const struct container_state *state, const struct command_options *options)
{
	if (container_status(state) == CONTAINER_STOPPED)
		return fail_msg("ps %s: the container is stopped", state->id);
	json_t *pids = container_processes(state);
	if (pids == NULL)
		return -1;
	if (options->format != NULL && strcmp(options->format, "json") == 0) {
		char *text = json_dumps(pids, JSON_COMPACT);
		printf("%s\n", text != NULL ? text : "[]");
		free(text);
	} else {
		size_t index;
		json_t *pid;
		printf("PID\n");
		json_array_foreach(pids, index, pid)
			printf("%lld\n", (long long)json_integer_value(pid));
	}
	json_decref(pids);
	return 0;
}

/* exec: the container's saved config, with the process to run. */
static int command_exec(const char *id, const struct command_options *options, int argc, char **argv)
{
	struct container_state state;
	struct oci_config config;
	int result = 125;

	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	bool has_command = optind < argc;
	if (has_command == (options->process != NULL))
		return usage_error("exec", "give either --process FILE or a command after the ID");
	if (load_state(id, &state) != 0)
		return 125;
	if (oci_config_load(state.directory, &config) != 0) {
		container_state_release(&state);
		return 125;
	}
	if ((options->process != NULL ? oci_config_replace_process(&config, options->process)
				      : oci_config_replace_args(&config, argv + optind, options->tty)) == 0) {
		struct container_exec_options exec = {&config, options->detach, options->pid_file,
						      options->console_socket};
		debug_msg("exec in %s: %s", id, config.process.args[0]);
		result = container_exec(&state, &exec);
	}
	oci_config_free(&config);
	container_state_release(&state);
	return result;
}

static int command_spec(const struct command_options *options)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/config.json", options->bundle);
	char *text = oci_config_default_text();
	if (text == NULL)
		return -1;
	/* Never overwrite a config someone wrote. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		free(text);
		return fail_errno("spec: create %s", path);
	}
	ssize_t written = write(fd, text, strlen(text));
	int saved_errno = errno;
	close(fd);
	free(text);
	if (written < 0) {
		errno = saved_errno;
		fail_errno("spec: write %s", path);
		unlink(path);
		return -1;
	}
	return 0;
}

static int run_command(const char *command, int argc, char **argv)
{
	struct command_options options;
	struct container_state state;
	int status = parse_command_options(command, argc, argv, &options);

	if (status >= 0)
		return status;
	if (strcmp(command, "spec") == 0)
		return command_spec(&options) == 0 ? 0 : 1;
	if (strcmp(command, "list") == 0)
		return command_list(&options) == 0 ? 0 : 1;
	if (strcmp(command, "validate") == 0) {
		struct oci_config config;
		if (oci_config_load(options.bundle, &config) != 0)
			return 1;
		oci_config_free(&config);
		return 0;
	}

	const char *id = take_id(command, argc, argv, &status);
	if (id == NULL)
		return status;
	const char *signal_name = NULL;
	if (strcmp(command, "kill") == 0 && optind < argc)
		signal_name = argv[optind++];
	if (strcmp(command, "exec") != 0 && optind < argc)
		return usage_error(command, "too many arguments");

	if (strcmp(command, "create") == 0) {
		if (command_create(id, &options, &state) != 0)
			return 1;
		container_state_release(&state);
		return 0;
	}
	if (strcmp(command, "run") == 0)
		return command_run(id, &options);
	if (strcmp(command, "exec") == 0)
		return command_exec(id, &options, argc, argv);

	/* delete --force of an ID that is gone is done already: exit 0
	 * quietly, as runc and crun do (podman relies on it). */
	if (strcmp(command, "delete") == 0 && options.force && !container_state_exists(global.root, id))
		return 0;
	if (load_state(id, &state) != 0)
		return 1;
	int result;
	if (strcmp(command, "start") == 0) {
		result = start_with_hooks(&state);
	} else if (strcmp(command, "state") == 0) {
		result = print_json(container_state_to_json(&state, container_status(&state)));
	} else if (strcmp(command, "kill") == 0) {
		int signal = container_signal_parse(signal_name != NULL ? signal_name : "TERM");
		/* --all: every process of the cgroup (exec'd ones too). */
		result = signal < 0 ? -1 : container_kill(&state, signal, options.all);
	} else if (strcmp(command, "delete") == 0) {
		result = delete_with_hooks(&state, options.force);
	} else if (strcmp(command, "ps") == 0) {
		result = command_ps(&state, &options);
	} else if (strcmp(command, "pause") == 0 || strcmp(command, "resume") == 0) {
		result = container_freeze(&state, strcmp(command, "pause") == 0);
	} else {
		result = -1;
	}
	container_state_release(&state);
	return result == 0 ? 0 : 1;
}

#if defined(__SANITIZE_ADDRESS__)
/* Sanitizer builds only. minirun makes itself non-dumpable and often ends
 * inside a container's user namespace; LeakSanitizer's check at exit
 * ptraces the process and there it spins forever. Clients such as podman
 * run us without the test suite's ASAN_OPTIONS, so switch the exit check
 * off here; `make fuzz` checks the config parser for leaks instead. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}
#endif

/* create, run and exec run code of the container's image (the first
 * process, an exec'd one): only they pay for the sealed copy. */
static bool command_runs_container_code(const char *command)
{
#ifdef MINIRUN_UNSAFE_NO_SELF_CLONE
	/* A deliberately weakened build, for the chapter's demo of the
	 * attack only (make CC="cc -DMINIRUN_UNSAFE_NO_SELF_CLONE" ...). */
	(void)command;
	return false;
#else
	return strcmp(command, "create") == 0 || strcmp(command, "run") == 0 ||
	       strcmp(command, "exec") == 0;
#endif
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"root", required_argument, NULL, 'r'}, {"log", required_argument, NULL, 'l'},
		{"log-format", required_argument, NULL, 'f'}, {"debug", no_argument, NULL, 'd'},
		{"systemd-cgroup", no_argument, NULL, 's'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool systemd_cgroup = false;
	int option;

	/* Hardening, before anything else. Not dumpable: no other process
	 * of the same user (a container's, once this one or its child has
	 * joined the container) may ptrace it or open its /proc/PID/exe,
	 * mem or fd; its children inherit that until they exec the
	 * container's program. */
	if (prctl(PR_SET_DUMPABLE, 0) != 0) {
		fprintf(stderr, "minirun: prctl PR_SET_DUMPABLE: %s\n", strerror(errno));
		return 1;
	}
	/* Whatever the caller left open (a secret file, a socket) closes at
	 * every exec: no container process inherits it. */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);

	/* "+": stop at the command; its options are its own. */
	opterr = 0;
	while ((option = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (option) {
		case 'r': global.root = optarg; break;
		case 'l': global.log_path = optarg; break;
		case 'f':
			if (strcmp(optarg, "json") == 0)
				global.log_json = true;
			else if (strcmp(optarg, "text") != 0) {
				fprintf(stderr, "minirun: --log-format must be text or json\n");
				return EXIT_USAGE;
			}
			break;
		case 'd': global.debug = true; break;
		case 's': systemd_cgroup = true; break;
		case 'h': usage(stdout); return 0;
		default:
			fprintf(stderr, "minirun: unknown option %s (try minirun --help)\n", argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "minirun: missing COMMAND (try minirun --help)\n");
		return EXIT_USAGE;
	}
	const char *command = argv[optind];
	if (strcmp(command, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (!command_known(command)) {
		fprintf(stderr, "minirun: unknown command %s (try minirun --help)\n", command);
		return EXIT_USAGE;
	}
	if (global.root[0] != '/') {
		fprintf(stderr, "minirun: --root %s: must be an absolute path\n", global.root);
		return EXIT_USAGE;
	}
	// tag::self-clone-call[]
	/* The commands that run a container's code do it from a sealed
	 * copy of this binary, never from the file on the host, which a
	 * container could otherwise reach through /proc/self/exe and
	 * overwrite (self_clone.c). Once per invocation: the copy finds
	 * itself sealed and goes on. */
	if (command_runs_container_code(command) && runtime_run_from_sealed_copy(argv) != 0)
		return 1;
	// end::self-clone-call[]
	if (global.log_path != NULL && log_open() != 0)
		return 1;
	if (systemd_cgroup)
		debug_msg("--systemd-cgroup ignored: minirun manages cgroups through cgroupfs");
	debug_msg("%s", command);
	/* The command's argv starts at its name, as getopt expects. */
	return run_command(command, argc - optind, argv + optind);
}
