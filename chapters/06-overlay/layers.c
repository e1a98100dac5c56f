/* layers: stack directories with overlayfs, unpack an OCI image into
 * layers, run a command in it, and show what it changed (chapter 06).
 *
 *   layers mount [--lower DIR]... [--upper DIR --work DIR] [--dry-run] TARGET
 *   layers umount TARGET
 *   layers diff [--lower DIR]... UPPER  |  layers diff --image DIR
 *   layers inspect LAYOUT
 *   layers unpack LAYOUT DEST
 *   layers run [--no-proc] DEST [COMMAND [ARG...]]
 *
 * Exit status: 0, 1 when an operation fails, 2 on a usage error; `run`
 * returns the command's own status, 125 when layers fails, 126 when the
 * command cannot be executed, 127 when it is not found.
 *
 * Read: mount(2), umount(2), unshare(2), the kernel's
 * Documentation/filesystems/overlayfs.rst, the OCI image-spec.
 */
#include "image.h"
#include "overlay.h"
#include "rootfs.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_LAYERS_FAILED 125

static void usage(FILE *out)
{
	fprintf(out,
		"usage: layers mount [--lower DIR]... [--upper DIR --work DIR] [--dry-run] TARGET\n"
		"       layers umount TARGET\n"
		"       layers diff [--lower DIR]... UPPER\n"
		"       layers diff --image DEST\n"
		"       layers inspect LAYOUT\n"
		"       layers unpack LAYOUT DEST\n"
		"       layers run [--no-proc] DEST [COMMAND [ARG...]]\n"
		"\n"
		"  mount    mount an overlay of the lower directories (the first --lower is the\n"
		"           top one) and, if given, a writable upper directory, on TARGET;\n"
		"           --dry-run prints the mount options instead\n"
		"  umount   unmount the overlay on TARGET\n"
		"  diff     list what UPPER changes in the lowers: A added, C changed,\n"
		"           D deleted (a whiteout), O opaque directory; --image DEST diffs\n"
		"           DEST/upper against the layers of an unpacked image\n"
		"  inspect  print the manifest, config and layers of the OCI image layout LAYOUT\n"
		"  unpack   verify and unpack LAYOUT's layers into DEST/layers/0 (bottom) ... N-1\n"
		"  run      run COMMAND (default /bin/sh) in a new mount namespace whose root is\n"
		"           an overlay of DEST's layers, with DEST/upper taking the writes\n"
		"\n"
		"Exit status: 0; 1 on failure; 2 on a usage error. run: COMMAND's status, 125 if\n"
		"layers fails, 126 if COMMAND cannot run, 127 if not found. Needs root.\n");
}

static int usage_error(const char *message)
{
	fprintf(stderr, "layers: %s (try layers --help)\n", message);
	return 2;
}

/* Options shared by mount and diff: up to OVERLAY_MAX_LOWERS --lower. */
struct overlay_arguments {
	const char *lowers[OVERLAY_MAX_LOWERS + 1];
	size_t lower_count;
	const char *upper, *work, *image;
	int dry_run, no_proc;
};

/* Parse the options of a subcommand; returns the index of the first
 * operand in argv, or -1 after a usage error (or --help). */
static int parse_options(int argc, char **argv, struct overlay_arguments *arguments, int *exit_status)
{
	static const struct option options[] = {
		{"lower", required_argument, NULL, 'l'}, {"upper", required_argument, NULL, 'u'},
		{"work", required_argument, NULL, 'w'},  {"image", required_argument, NULL, 'i'},
		{"dry-run", no_argument, NULL, 'n'},     {"no-proc", no_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
	};
	int option;

	/* "+": stop at the first operand, so `run DEST ls -l` keeps -l. */
	optind = 1;
	while ((option = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
		switch (option) {
		case 'l':
			if (arguments->lower_count == OVERLAY_MAX_LOWERS) {
				*exit_status = usage_error("too many --lower directories");
				return -1;
			}
			arguments->lowers[arguments->lower_count++] = optarg;
			break;
		case 'u': arguments->upper = optarg; break;
		case 'w': arguments->work = optarg; break;
		case 'i': arguments->image = optarg; break;
		case 'n': arguments->dry_run = 1; break;
		case 'p': arguments->no_proc = 1; break;
		case 'h': usage(stdout); *exit_status = 0; return -1;
		default: usage(stderr); *exit_status = 2; return -1;
		}
	}
	return optind;
}

static int command_mount(struct overlay_arguments *arguments, int operands, char **operand)
{
	if (operands != 1)
		return usage_error("mount needs one TARGET");
	struct overlay_spec spec = {
		.lowers = arguments->lowers, .lower_count = arguments->lower_count,
		.upper = arguments->upper, .work = arguments->work,
	};
	if (arguments->dry_run) {
		char options[65536];
		if (overlay_mount_options(&spec, options, sizeof options) != 0)
			return 1;
		printf("%s\n", options);
		return 0;
	}
	// tag::mount-command[]
	return overlay_mount(&spec, operand[0]) == 0 ? 0 : 1;
	// end::mount-command[]
}

static int print_change(enum overlay_change change, const char *path, void *context)
{
	(void)context;
	printf("%c %s\n", (char)change, path);
	return 0;
}

static int command_diff(struct overlay_arguments *arguments, int operands, char **operand)
{
	char upper[PATH_MAX];
	char **image_lowers = NULL;
	size_t image_lower_count = 0;

	if (arguments->image != NULL) {
		if (operands != 0 || arguments->lower_count != 0)
			return usage_error("diff --image DEST takes no UPPER and no --lower");
		if (image_layer_dirs(arguments->image, &image_lowers, &image_lower_count) != 0)
			return 1;
		snprintf(upper, sizeof upper, "%s/upper", arguments->image);
	} else {
		if (operands != 1)
			return usage_error("diff needs one UPPER");
		snprintf(upper, sizeof upper, "%s", operand[0]);
	}
	const char *const *lowers = image_lowers != NULL ? (const char *const *)image_lowers : arguments->lowers;
	size_t lower_count = image_lowers != NULL ? image_lower_count : arguments->lower_count;
	int result = overlay_diff(upper, lowers, lower_count, print_change, NULL);
	image_layer_dirs_free(image_lowers, image_lower_count);
	return result == 0 ? 0 : 1;
}

static int command_inspect(int operands, char **operand)
{
	struct image_descriptor manifest_descriptor;
	struct image_manifest manifest = {0};

	if (operands != 1)
		return usage_error("inspect needs one LAYOUT");
	if (image_find_manifest(operand[0], &manifest_descriptor) != 0)
		return 1;
	printf("manifest %s %lld\n", manifest_descriptor.digest, manifest_descriptor.size);
	fflush(stdout);
	if (image_read_manifest(operand[0], &manifest_descriptor, &manifest) != 0)
		return 1;
	printf("config %s %lld\n", manifest.config.digest, manifest.config.size);
	for (size_t i = 0; i < manifest.layer_count; i++)
		printf("layer %zu %s %lld %s\n", i, manifest.layers[i].digest, manifest.layers[i].size,
		       manifest.layers[i].media_type);
	image_manifest_free(&manifest);
	return 0;
}

static int command_unpack(int operands, char **operand)
{
	if (operands != 2)
		return usage_error("unpack needs LAYOUT and DEST");
	return image_unpack(operand[0], operand[1], NULL) == 0 ? 0 : 1;
}

/* mkdir that accepts an existing directory. */
static int make_directory(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return fail_errno("create %s", path);
	return 0;
}

static int command_run(struct overlay_arguments *arguments, int operands, char **operand)
{
	char upper[PATH_MAX], work[PATH_MAX], merged[PATH_MAX];
	char **lowers;
	size_t lower_count;

	if (operands < 1)
		return usage_error("run needs DEST (made by layers unpack)");
	char *dest = realpath(operand[0], NULL);
	if (dest == NULL) {
		fail_errno("unpacked image %s", operand[0]);
		return EXIT_LAYERS_FAILED;
	}
	char *default_command[] = {"/bin/sh", NULL};
	char **command = operands > 1 ? &operand[1] : default_command;
	snprintf(upper, sizeof upper, "%s/upper", dest);
	snprintf(work, sizeof work, "%s/work", dest);
	snprintf(merged, sizeof merged, "%s/merged", dest);
	if (image_layer_dirs(dest, &lowers, &lower_count) != 0 || make_directory(upper) != 0 ||
	    make_directory(work) != 0 || make_directory(merged) != 0)
		return EXIT_LAYERS_FAILED;
	free(dest);

	// tag::run-steps[]
	struct overlay_spec spec = {
		.lowers = (const char *const *)lowers, .lower_count = lower_count,
		.upper = upper, .work = work,
	};
	/* A mount namespace of our own: the overlay, like everything we
	 * mount, goes away with the last process in it. The upper
	 * directory, with the changes, stays. */
	if (unshare(CLONE_NEWNS) != 0) {
		fail_errno("unshare(CLONE_NEWNS)");
		return EXIT_LAYERS_FAILED;
	}
	if (mount_tree_make_private() != 0 || overlay_mount(&spec, merged) != 0 ||
	    pivot_into(merged) != 0 || (!arguments->no_proc && mount_proc("/proc") != 0))
		return EXIT_LAYERS_FAILED;
	// end::run-steps[]
	image_layer_dirs_free(lowers, lower_count);

	fflush(NULL);
	execvp(command[0], command);
	int saved_errno = errno;
	fail_errno("exec %s", command[0]);
	return saved_errno == ENOENT ? 127 : 126;
}

int main(int argc, char **argv)
{
	struct overlay_arguments arguments = {0};
	int exit_status = 0;

	if (argc < 2)
		return usage_error("missing subcommand");
	const char *subcommand = argv[1];
	if (strcmp(subcommand, "-h") == 0 || strcmp(subcommand, "--help") == 0) {
		usage(stdout);
		return 0;
	}
	int first = parse_options(argc - 1, argv + 1, &arguments, &exit_status);
	if (first < 0)
		return exit_status;
	int operands = argc - 1 - first;
	char **operand = argv + 1 + first;
	int takes_lowers = strcmp(subcommand, "mount") == 0 || strcmp(subcommand, "diff") == 0;
	if (!takes_lowers && arguments.lower_count > 0)
		return usage_error("--lower is an option of mount and diff");

	if (strcmp(subcommand, "mount") == 0)
		return command_mount(&arguments, operands, operand);
	if (strcmp(subcommand, "umount") == 0) {
		if (operands != 1)
			return usage_error("umount needs one TARGET");
		return overlay_unmount(operand[0]) == 0 ? 0 : 1;
	}
	if (strcmp(subcommand, "diff") == 0)
		return command_diff(&arguments, operands, operand);
	if (strcmp(subcommand, "inspect") == 0)
		return command_inspect(operands, operand);
	if (strcmp(subcommand, "unpack") == 0)
		return command_unpack(operands, operand);
	if (strcmp(subcommand, "run") == 0)
		return command_run(&arguments, operands, operand);
	fprintf(stderr, "layers: unknown subcommand '%s' (try layers --help)\n", subcommand);
	return 2;
}
