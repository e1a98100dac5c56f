/* caps_names.c: from capability names to bit masks (not an exercise).
 *
 * The OCI spec says a runtime must not fail on a capability name it does
 * not know (a config written for a newer kernel may name CAP_BPF on an
 * older one): it logs a warning and ignores the name, as runc and crun do.
 *
 * Read: cap_from_name(3), cap_max_bits(3), capabilities(7).
 */
#include "security.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

uint64_t caps_all_known(void)
{
	cap_value_t count = cap_max_bits();
	return count >= 64 ? UINT64_MAX : (UINT64_C(1) << count) - 1;
}

/* One name to its number; accepts "CAP_CHOWN", "cap_chown", "chown". */
static int cap_number(const char *name, cap_value_t *value)
{
	char lower[64];
	size_t i;

	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	for (i = 0; name[i] != '\0' && i < sizeof lower - 5; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	if (name[i] != '\0' || i == 0)
		return -1;
	lower[i] = '\0';
	char full[sizeof lower + 4] = "cap_";
	strcat(full, lower);
	/* libcap knows every name of the kernel it was built for; a number
	 * beyond what this kernel supports is unknown here too. */
	if (cap_from_name(full, value) != 0 || *value < 0 || *value >= cap_max_bits())
		return -1;
	return 0;
}

int caps_mask_from_names(const char *const *names, size_t count, uint64_t *mask)
{
	int ignored = 0;

	for (size_t i = 0; i < count; i++) {
		cap_value_t value;
		if (cap_number(names[i], &value) != 0) {
			warn_msg("unknown capability %s: ignored", names[i]);
			ignored++;
			continue;
		}
		*mask |= UINT64_C(1) << value;
	}
	return ignored;
}

int caps_mask_from_list(const char *list, uint64_t *mask)
{
	char *copy = strdup(list);
	if (copy == NULL)
		return fail_errno("capability list");
	int ignored = 0;
	char *save = NULL;
	for (char *name = strtok_r(copy, ", ", &save); name; name = strtok_r(NULL, ", ", &save)) {
		if (strcasecmp(name, "default") == 0) {
			size_t n = 0;
			while (caps_container_defaults[n])
				n++;
			ignored += caps_mask_from_names(caps_container_defaults, n, mask);
		} else if (strcasecmp(name, "all") == 0) {
			*mask |= caps_all_known();
		} else {
			const char *one[] = {name};
			ignored += caps_mask_from_names(one, 1, mask);
		}
	}
	free(copy);
	return ignored;
}

/* One OCI array ("bounding": ["CAP_..."]) into a mask. */
static int mask_from_oci_array(const json_t *capabilities, const char *key, uint64_t *mask)
{
	const json_t *array = json_object_get(capabilities, key);
	*mask = 0;
	if (array == NULL)
		return 0;
	if (!json_is_array(array))
		return fail_msg("process.capabilities.%s: not an array", key);
	size_t index;
	const json_t *item;
	json_array_foreach(array, index, item) {
		if (!json_is_string(item))
			return fail_msg("process.capabilities.%s[%zu]: not a string", key, index);
		const char *name = json_string_value(item);
		caps_mask_from_names(&name, 1, mask);
	}
	return 0;
}

int caps_sets_from_oci(const json_t *capabilities, struct caps_sets *sets)
{
	*sets = (struct caps_sets){0};
	if (capabilities == NULL)
		return 0;
	if (!json_is_object(capabilities))
		return fail_msg("process.capabilities: not an object");
	if (mask_from_oci_array(capabilities, "bounding", &sets->bounding) != 0 ||
	    mask_from_oci_array(capabilities, "permitted", &sets->permitted) != 0 ||
	    mask_from_oci_array(capabilities, "effective", &sets->effective) != 0 ||
	    mask_from_oci_array(capabilities, "inheritable", &sets->inheritable) != 0 ||
	    mask_from_oci_array(capabilities, "ambient", &sets->ambient) != 0)
		return -1;
	return 0;
}
