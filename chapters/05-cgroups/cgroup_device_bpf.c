/* cgroup_device_bpf.c: device rules on cgroup v2, as an eBPF program
 * (chapter 05). Not an exercise: the same in both trees.
 *
 * cgroup v1 has files for device rules (devices.allow, devices.deny).
 * cgroup v2 has none: the kernel asks a BPF_PROG_TYPE_CGROUP_DEVICE
 * program attached to the cgroup, once per open(2) or mknod(2) of a
 * device node, "may this process do this access to device TYPE
 * MAJOR:MINOR?", and the program answers 1 (yes) or 0 (no, EPERM). So a
 * runtime turns its rule list into a program: this file writes the
 * instructions one by one (as crun does; runc uses a Go assembler), loads
 * the program with bpf(BPF_PROG_LOAD) and attaches it to the cgroup's
 * directory with bpf(BPF_PROG_ATTACH). The program lives as long as it
 * is attached: when the cgroup is removed, so is the program.
 *
 * The shell has no one-liner for this; `bpftool cgroup list DIR` shows
 * what is attached and `bpftool prog dump xlated id N` its instructions.
 *
 * Read: bpf(2), Documentation/admin-guide/cgroup-v2.rst ("Device
 * controller"), Documentation/bpf/instruction-set.rst, <linux/bpf.h>
 * (struct bpf_cgroup_dev_ctx), Documentation/admin-guide/cgroup-v1/
 * devices.rst for the rule language.
 */
#include "cgroup.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The registers the program keeps the question in (r1 is the context,
 * r0 the answer). */
enum { R0, R1, R2_ACCESS, R3_TYPE, R4_MAJOR, R5_MINOR, R6_SCRATCH };

/* The most instructions a rule takes (3 number tests, 3 for the access,
 * 2 for the answer), and so the most rules a program holds. */
#define INSNS_PER_RULE 8
#define PROLOGUE_INSNS 6
#define MAX_RULES ((BPF_MAXINSNS - PROLOGUE_INSNS - 2) / INSNS_PER_RULE)

struct program {
	struct bpf_insn insns[BPF_MAXINSNS];
	size_t count;
};

static void emit(struct program *program, uint8_t code, uint8_t dst, uint8_t src, int16_t offset,
		 int32_t immediate)
{
	program->insns[program->count++] = (struct bpf_insn){
		.code = code, .dst_reg = dst, .src_reg = src, .off = offset, .imm = immediate};
}

/* The access letters as the kernel's bits: BPF_DEVCG_ACC_MKNOD, _READ,
 * _WRITE. */
static int32_t access_bits(const char *access)
{
	int32_t bits = 0;
	for (; *access; access++)
		bits |= *access == 'm' ? BPF_DEVCG_ACC_MKNOD : *access == 'r' ? BPF_DEVCG_ACC_READ
			: *access == 'w' ? BPF_DEVCG_ACC_WRITE : 0;
	return bits;
}

// tag::device-program[]
/* One rule: a test per field it names, each jumping past the rule when
 * the question does not match; if all match, the rule's answer. The
 * jumps' targets are patched once the rule's length is known. Returns
 * true when the rule matches every question (no test emitted): the
 * rules before it can never be reached. */
static bool emit_rule(struct program *program, const struct cgroup_device_rule *rule)
{
	size_t jumps[6], jump_count = 0;
	const int32_t all = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
	int32_t access = access_bits(rule->access);

	/* 32-bit compares (BPF_JMP32): a minor of 4294967295 is -1 as an
	 * immediate, and must equal the u32 the kernel put in the context. */
	if (rule->type != 'a') {
		jumps[jump_count++] = program->count;
		emit(program, BPF_JMP32 | BPF_JNE | BPF_K, R3_TYPE, 0, 0,
		     rule->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
	}
	if (rule->major >= 0) {
		jumps[jump_count++] = program->count;
		emit(program, BPF_JMP32 | BPF_JNE | BPF_K, R4_MAJOR, 0, 0, (int32_t)(uint32_t)rule->major);
	}
	if (rule->minor >= 0) {
		jumps[jump_count++] = program->count;
		emit(program, BPF_JMP32 | BPF_JNE | BPF_K, R5_MINOR, 0, 0, (int32_t)(uint32_t)rule->minor);
	}
	if (access != all) {
		/* An allow rule covers the question only if every bit asked
		 * for is in it; a deny rule refuses if any bit is. */
		emit(program, BPF_ALU | BPF_MOV | BPF_X, R6_SCRATCH, R2_ACCESS, 0, 0);
		emit(program, BPF_ALU | BPF_AND | BPF_K, R6_SCRATCH, 0, 0, rule->allow ? all & ~access : access);
		jumps[jump_count++] = program->count;
		emit(program, BPF_JMP32 | (rule->allow ? BPF_JNE : BPF_JEQ) | BPF_K, R6_SCRATCH, 0, 0, 0);
	}
	emit(program, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, rule->allow ? 1 : 0);
	emit(program, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	/* A jump's offset counts from the instruction after it. */
	for (size_t i = 0; i < jump_count; i++)
		program->insns[jumps[i]].off = (int16_t)(program->count - jumps[i] - 1);
	return jump_count == 0;
}

/* The whole program: read the question out of struct bpf_cgroup_dev_ctx,
 * then the rules from the LAST to the first, so that a later rule wins
 * as it does when v1 applies them in order; no rule matching: deny. */
static void build_program(struct program *program, const struct cgroup_device_rule *rules, size_t count)
{
	program->count = 0;
	/* access_type holds the access bits in its upper 16 bits and the
	 * device type in its lower 16. */
	emit(program, BPF_LDX | BPF_MEM | BPF_W, R2_ACCESS, R1, 0, 0);
	emit(program, BPF_ALU | BPF_MOV | BPF_X, R3_TYPE, R2_ACCESS, 0, 0);
	emit(program, BPF_ALU | BPF_AND | BPF_K, R3_TYPE, 0, 0, 0xffff);
	emit(program, BPF_ALU | BPF_RSH | BPF_K, R2_ACCESS, 0, 0, 16);
	emit(program, BPF_LDX | BPF_MEM | BPF_W, R4_MAJOR, R1, offsetof(struct bpf_cgroup_dev_ctx, major), 0);
	emit(program, BPF_LDX | BPF_MEM | BPF_W, R5_MINOR, R1, offsetof(struct bpf_cgroup_dev_ctx, minor), 0);
	for (size_t i = count; i-- > 0;)
		/* The verifier refuses code that can never run. */
		if (emit_rule(program, &rules[i]))
			return;
	emit(program, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, 0);
	emit(program, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}
// end::device-program[]

static int bpf(int command, union bpf_attr *attributes)
{
	return (int)syscall(SYS_bpf, command, attributes, sizeof *attributes);
}

/* Load the program; on a refusal, the verifier's own words. */
static int load_program(const struct program *program, const char *cgroup_dir)
{
	static char verifier_log[4096];
	union bpf_attr load = {
		.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE,
		.insns = (uintptr_t)program->insns,
		.insn_cnt = (uint32_t)program->count,
		.license = (uintptr_t)"GPL",
	};
	int fd = bpf(BPF_PROG_LOAD, &load);
	if (fd >= 0)
		return fd;
	int saved_errno = errno;
	load.log_buf = (uintptr_t)verifier_log;
	load.log_size = sizeof verifier_log;
	load.log_level = 1;
	verifier_log[0] = '\0';
	if (bpf(BPF_PROG_LOAD, &load) >= 0 || verifier_log[0] == '\0') {
		errno = saved_errno;
		return fail_errno("cgroup %s: load the device program (bpf BPF_PROG_LOAD)", cgroup_dir);
	}
	/* The log ends with the verifier's complaint, then a line of
	 * statistics ("processed N insns ..."): say the complaint. */
	char *end = verifier_log + strlen(verifier_log);
	while (end > verifier_log && end[-1] == '\n')
		*--end = '\0';
	char *last = strrchr(verifier_log, '\n');
	if (last != NULL && strncmp(last + 1, "processed ", 10) == 0) {
		*last = '\0';
		last = strrchr(verifier_log, '\n');
	}
	errno = saved_errno;
	return fail_msg("cgroup %s: the verifier refused the device program: %s", cgroup_dir,
			last ? last + 1 : verifier_log);
}

// tag::device-attach[]
int cgroup_device_program_attach(const char *cgroup_dir, const struct cgroup_device_rule *rules,
				 size_t count)
{
	static struct program program;
	uint32_t old_ids[64];

	if (count > MAX_RULES) {
		errno = E2BIG;
		return fail_msg("cgroup %s: %zu device rules, at most %d fit in one program", cgroup_dir,
				count, (int)MAX_RULES);
	}
	build_program(&program, rules, count);
	int cgroup_fd = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cgroup_fd < 0)
		return fail_errno("open %s", cgroup_dir);
	/* The programs attached here before (ours, from an earlier call):
	 * replaced below, once the new one is in place. */
	union bpf_attr query = {.query = {.target_fd = (uint32_t)cgroup_fd,
					  .attach_type = BPF_CGROUP_DEVICE,
					  .prog_ids = (uintptr_t)old_ids,
					  .prog_cnt = sizeof old_ids / sizeof old_ids[0]}};
	if (bpf(BPF_PROG_QUERY, &query) != 0) {
		fail_errno("cgroup %s: list its device programs (bpf BPF_PROG_QUERY)", cgroup_dir);
		close(cgroup_fd);
		return -1;
	}
	int program_fd = load_program(&program, cgroup_dir);
	if (program_fd < 0) {
		close(cgroup_fd);
		return -1;
	}
	/* BPF_F_ALLOW_MULTI: this cgroup's program AND its ancestors' (a
	 * systemd slice may have one) must all say yes. */
	union bpf_attr attach = {.target_fd = (uint32_t)cgroup_fd, .attach_bpf_fd = (uint32_t)program_fd,
				 .attach_type = BPF_CGROUP_DEVICE, .attach_flags = BPF_F_ALLOW_MULTI};
	int result = 0;
	if (bpf(BPF_PROG_ATTACH, &attach) != 0)
		result = fail_errno("cgroup %s: attach the device program (bpf BPF_PROG_ATTACH)", cgroup_dir);
	/* Detached only after the new one is attached: in between both
	 * apply, so there is never a moment with no rules at all. */
	for (uint32_t i = 0; result == 0 && i < query.query.prog_cnt; i++) {
		union bpf_attr by_id = {.prog_id = old_ids[i]};
		int old_fd = bpf(BPF_PROG_GET_FD_BY_ID, &by_id);
		if (old_fd < 0)
			continue; /* gone already */
		union bpf_attr detach = {.target_fd = (uint32_t)cgroup_fd, .attach_bpf_fd = (uint32_t)old_fd,
					 .attach_type = BPF_CGROUP_DEVICE};
		if (bpf(BPF_PROG_DETACH, &detach) != 0 && errno != ENOENT)
			result = fail_errno("cgroup %s: detach its old device program (bpf BPF_PROG_DETACH)",
					    cgroup_dir);
		close(old_fd);
	}
	/* The attachment holds the program; our descriptor is not needed. */
	close(program_fd);
	close(cgroup_fd);
	return result;
}
// end::device-attach[]
