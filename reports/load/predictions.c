// SPDX-License-Identifier: GPL-2.0
#include "predictions.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int add(struct predictions *p, const char *id, const char *question, double value,
	       const char *path, char *err, size_t errlen)
{
	struct prediction *a;

	if (strlen(id) >= sizeof(a->id) || !*id) {
		snprintf(err, errlen, "%s: a question's name is empty or too long", path);
		return -1;
	}
	if (prediction_of(p, id)) {
		snprintf(err, errlen, "%s: question '%s' is answered twice", path, id);
		return -1;
	}
	if (!isfinite(value)) {
		snprintf(err, errlen, "%s: the answer to '%s' is not a number", path, id);
		return -1;
	}
	a = realloc(p->a, (p->n + 1) * sizeof(*a));
	if (!a)
		abort();
	p->a = a;
	a = &p->a[p->n++];
	memset(a, 0, sizeof(*a));
	snprintf(a->id, sizeof(a->id), "%s", id);
	snprintf(a->question, sizeof(a->question), "%s", question ? question : "");
	a->value = value;
	return 0;
}

/* predictions.json's fields into @p. */
static int from_predictions(json_t *root, struct predictions *p, const char *path, char *err,
			    size_t errlen)
{
	json_t *answers = json_object_get(root, "answers"), *a, *seed;
	const char *demo = json_string_value(json_object_get(root, "demo"));
	const char *from = json_string_value(json_object_get(root, "from"));
	size_t i;

	if (!json_is_array(answers)) {
		snprintf(err, errlen, "%s: \"answers\" is not a list", path);
		return -1;
	}
	snprintf(p->demo, sizeof(p->demo), "%s", demo ? demo : "");
	snprintf(p->from, sizeof(p->from), "%s", from ? from : "");
	p->cpus = (int)json_integer_value(json_object_get(root, "cpus"));
	seed = json_object_get(root, "seed");
	p->seeded = json_is_integer(seed);
	p->seed = p->seeded ? (long long)json_integer_value(seed) : 0;
	json_array_foreach(answers, i, a)
	{
		const char *id = json_string_value(json_object_get(a, "id"));
		json_t *v = json_object_get(a, "value");

		if (!id || !json_is_number(v)) {
			snprintf(err, errlen,
				 "%s: answer %zu has no \"id\" or no numeric \"value\"", path,
				 i + 1);
			return -1;
		}
		if (add(p, id, json_string_value(json_object_get(a, "question")),
			json_number_value(v), path, err, errlen))
			return -1;
	}
	return 0;
}

static int read_file(const char *path, struct predictions *p, bool plain_ok, char *err,
		     size_t errlen)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *v;
	const char *key;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	if (!root) {
		snprintf(err, errlen, "%s: %s (line %d)", path,
			 access(path, R_OK) ? strerror(errno) : je.text, je.line);
		return -1;
	}
	if (!json_is_object(root)) {
		snprintf(err, errlen, "%s: not a JSON object", path);
		rc = -1;
	} else if (json_object_get(root, "answers") || !plain_ok) {
		rc = from_predictions(root, p, path, err, errlen);
	} else {
		json_object_foreach(root, key, v)
		{
			if (!json_is_number(v)) {
				snprintf(err, errlen,
					 "%s: the answer to '%s' is not a number; write "
					 "{\"%s\": 1.5, ...}",
					 path, key, key);
				rc = -1;
				break;
			}
			if ((rc = add(p, key, NULL, json_number_value(v), path, err, errlen)))
				break;
		}
	}
	json_decref(root);
	if (rc)
		predictions_free(p);
	return rc;
}

int predictions_load(const char *dir, struct predictions *p, char *err, size_t errlen)
{
	char path[PATH_MAX];

	memset(p, 0, sizeof(*p));
	snprintf(path, sizeof(path), "%s/predictions.json", dir);
	if (access(path, F_OK))
		return 1;
	return read_file(path, p, false, err, errlen);
}

int predictions_read_answers(const char *path, struct predictions *p, char *err, size_t errlen)
{
	int rc = read_file(path, p, true, err, errlen);

	if (!rc)
		snprintf(p->from, sizeof(p->from), "%s", path);
	return rc;
}

void predictions_free(struct predictions *p)
{
	free(p->a);
	p->a = NULL;
	p->n = 0;
}

const struct prediction *prediction_of(const struct predictions *p, const char *id)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->a[i].id, id))
			return &p->a[i];
	return NULL;
}
