/* config_fuzzer.c: libFuzzer harness for minirun's config.json reader.
 *
 * Every input is handed, as bytes, to oci_config_parse (chapter 08): the
 * JSON parse and every check of the validator. A config it accepts is
 * then held to the promises oci_config.h makes (args NULL-terminated
 * with a non-empty args[0], absolute paths, ranges, counts), its seccomp
 * profile is compiled the way the runtime compiles it (chapter 07's
 * seccomp_filter_from_oci, never loaded), and everything is freed.
 *
 * A crash, an AddressSanitizer or UndefinedBehaviorSanitizer report, a
 * leak (LeakSanitizer runs after each input) or a broken promise
 * (abort) is a finding; refusing an input with a message is not.
 *
 * Built and run by scripts/fuzz (make fuzz). By hand:
 *   clang -fsanitize=fuzzer,address,undefined ... tests/fuzz/config_fuzzer.c \
 *         chapters/08-mini-runtime/oci_config.c chapters/00-lab/util.c ...
 *   build/fuzz/config_fuzzer -max_len=65536 CORPUS_DIR
 *
 * Read: https://llvm.org/docs/LibFuzzer.html, oci_config.h.
 */
#include "oci_config.h"
#include "util.h"
#ifdef FUZZ_SECCOMP
#include "security.h"
#endif

#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bundle a relative root.path is resolved against. */
#define FUZZ_BUNDLE "/fuzz/bundle"

/* A promise of oci_config.h that the accepted config breaks: say which
 * and abort, so libFuzzer saves the input as a crash. */
#define PROMISE(condition)                                                                  \
	do {                                                                                \
		if (!(condition)) {                                                         \
			fprintf(stderr, "config_fuzzer: accepted config breaks: %s (%s:%d)\n", \
				#condition, __FILE__, __LINE__);                            \
			abort();                                                            \
		}                                                                           \
	} while (0)

/* Read every string the struct points at, so a dangling or unterminated
 * pointer is an AddressSanitizer report here rather than in the runtime. */
static size_t touch(const char *text)
{
	return text == NULL ? 0 : strlen(text);
}

static void check_process(const struct oci_process *process)
{
	PROMISE(process->args != NULL && process->args[0] != NULL && process->args[0][0] != '\0');
	for (char **arg = process->args; *arg != NULL; arg++)
		touch(*arg);
	PROMISE(process->env != NULL);
	for (char **entry = process->env; *entry != NULL; entry++) {
		const char *equals = strchr(*entry, '=');
		PROMISE(equals != NULL && equals != *entry);
	}
	PROMISE(process->cwd != NULL && process->cwd[0] == '/');
	PROMISE(process->uid != UINT32_MAX && process->gid != UINT32_MAX);
	for (size_t i = 0; i < process->additional_gid_count; i++)
		PROMISE(process->additional_gids[i] != UINT32_MAX);
	PROMISE(!process->has_umask || process->umask <= 0777);
	for (size_t i = 0; i < process->rlimit_count; i++) {
		const struct oci_rlimit *limit = &process->rlimits[i];
		PROMISE(limit->name != NULL && limit->resource >= 0);
		PROMISE(limit->soft <= limit->hard);
		for (size_t j = 0; j < i; j++)
			PROMISE(process->rlimits[j].resource != limit->resource);
	}
	PROMISE(!process->has_oom_score_adj ||
		(process->oom_score_adj >= -1000 && process->oom_score_adj <= 1000));
}

static void check_config(const struct oci_config *config)
{
	PROMISE(config->document != NULL);
	PROMISE(config->oci_version != NULL && strncmp(config->oci_version, "1.", 2) == 0);
	PROMISE(config->root_path != NULL && config->root_path[0] == '/');
	PROMISE(config->hostname == NULL || strlen(config->hostname) <= 64);
	check_process(&config->process);

	for (size_t i = 0; i < config->mount_count; i++) {
		const struct oci_mount *mount = &config->mounts[i];
		PROMISE(mount->destination != NULL && mount->destination[0] == '/');
		PROMISE(mount->data != NULL);
		touch(mount->data);
		touch(mount->source);
		PROMISE(!mount->is_bind || mount->source != NULL);
		PROMISE(mount->is_bind || mount->type != NULL);
	}

	int created = 0;
	for (size_t i = 0; i < config->namespace_count; i++) {
		const struct oci_namespace *namespace = &config->namespaces[i];
		PROMISE(namespace->type != NULL && namespace->clone_flag != 0);
		PROMISE(namespace->path == NULL || namespace->path[0] == '/');
		PROMISE(oci_config_namespace(config, namespace->type) == namespace);
		if (namespace->path == NULL)
			created |= namespace->clone_flag;
	}
	PROMISE(created == config->clone_flags);

	const struct oci_namespace *user = oci_config_namespace(config, "user");
	PROMISE(user == NULL || user->path != NULL ||
		(config->uid_mapping_count > 0 && config->gid_mapping_count > 0));
	for (size_t i = 0; i < config->uid_mapping_count; i++)
		PROMISE(config->uid_mappings[i].size > 0);
	for (size_t i = 0; i < config->gid_mapping_count; i++)
		PROMISE(config->gid_mappings[i].size > 0);
	for (size_t i = 0; i < config->masked_path_count; i++)
		PROMISE(config->masked_paths[i][0] == '/');
	for (size_t i = 0; i < config->readonly_path_count; i++)
		PROMISE(config->readonly_paths[i][0] == '/');

	const struct oci_resources *resources = &config->resources;
	PROMISE(resources->memory_limit >= -1 && resources->memory_swap >= -1 &&
		resources->memory_reservation >= -1 && resources->pids_limit >= -1);
	PROMISE(resources->cpu_quota != 0);
	touch(resources->cpu_cpus);
	touch(resources->cpu_mems);
	touch(config->cgroups_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oci_config config;

	if (oci_config_parse((const char *)data, size, FUZZ_BUNDLE, &config) != 0) {
		/* Refused: the parser must have released everything itself. */
		return 0;
	}
	check_config(&config);
#ifdef FUZZ_SECCOMP
	/* The runtime compiles linux.seccomp before it creates anything. */
	if (config.seccomp != NULL) {
		scmp_filter_ctx filter = seccomp_filter_from_oci(config.seccomp, "config.json");
		if (filter != NULL)
			seccomp_release(filter);
	}
#endif
	oci_config_free(&config);
	return 0;
}
