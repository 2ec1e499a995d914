// SPDX-License-Identifier: GPL-2.0
#include "hist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int get_u64(const json_t *obj, const char *key, uint64_t *v)
{
	json_t *x = json_object_get(obj, key);

	if (!json_is_integer(x) || json_integer_value(x) < 0)
		return -1;
	*v = (uint64_t)json_integer_value(x);
	return 0;
}

int hist_from_json(struct hist *h, const json_t *arr, char *why, size_t whylen)
{
	size_t i;

	h->b = NULL;
	h->n = 0;
	if (!json_is_array(arr)) {
		snprintf(why, whylen, "\"hist\" is not an array");
		return -1;
	}
	if (json_array_size(arr) == 0)
		return 0;
	h->b = calloc(json_array_size(arr), sizeof(*h->b));
	if (!h->b) {
		snprintf(why, whylen, "calloc: out of memory");
		return -1;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		const json_t *e = json_array_get(arr, i);
		struct hist_bucket *b = &h->b[i];

		if (get_u64(e, "lo_ns", &b->lo_ns) || get_u64(e, "hi_ns", &b->hi_ns) ||
		    get_u64(e, "count", &b->count)) {
			snprintf(why, whylen,
				 "hist bucket %zu lacks an integer lo_ns, hi_ns or count", i);
			goto bad;
		}
		if (b->hi_ns <= b->lo_ns) {
			snprintf(why, whylen, "hist bucket %zu has hi_ns <= lo_ns", i);
			goto bad;
		}
		if (i && b->lo_ns < h->b[i - 1].hi_ns) {
			snprintf(why, whylen, "hist bucket %zu is not above bucket %zu", i, i - 1);
			goto bad;
		}
		h->n++;
	}
	return 0;
bad:
	hist_free(h);
	return -1;
}

uint64_t hist_total(const struct hist *h)
{
	uint64_t t = 0;
	size_t i;

	for (i = 0; i < h->n; i++)
		t += h->b[i].count;
	return t;
}

double hist_quantile(const struct hist *h, double q)
{
	uint64_t total = hist_total(h);
	double want, cum = 0;
	size_t i;

	if (!total)
		return 0;
	if (q <= 0)
		return (double)h->b[0].lo_ns;
	if (q > 1)
		q = 1;
	want = q * (double)total;
	for (i = 0; i < h->n; i++) {
		const struct hist_bucket *b = &h->b[i];

		if (!b->count)
			continue;
		if (cum + (double)b->count >= want) {
			double frac = (want - cum) / (double)b->count;

			return (double)b->lo_ns + frac * (double)(b->hi_ns - b->lo_ns);
		}
		cum += (double)b->count;
	}
	return (double)h->b[h->n - 1].hi_ns;
}

int hist_merge(struct hist *dst, const struct hist *src)
{
	struct hist_bucket *out;
	size_t i = 0, j = 0, n = 0;

	out = calloc(dst->n + src->n + 1, sizeof(*out));
	if (!out)
		return -1;
	while (i < dst->n || j < src->n) {
		const struct hist_bucket *a = i < dst->n ? &dst->b[i] : NULL;
		const struct hist_bucket *b = j < src->n ? &src->b[j] : NULL;

		if (a && b && a->lo_ns == b->lo_ns && a->hi_ns == b->hi_ns) {
			out[n] = *a;
			out[n++].count += b->count;
			i++, j++;
		} else if (a && (!b || a->hi_ns <= b->lo_ns)) {
			out[n++] = *a;
			i++;
		} else if (b && (!a || b->hi_ns <= a->lo_ns)) {
			out[n++] = *b;
			j++;
		} else {
			free(out);
			return -1;
		}
	}
	free(dst->b);
	dst->b = out;
	dst->n = n;
	return 0;
}

void hist_free(struct hist *h)
{
	free(h->b);
	h->b = NULL;
	h->n = 0;
}

double hist_quantile_max(const struct hist *h, double q, double max_ns)
{
	double v = hist_quantile(h, q);

	return max_ns > 0 && v > max_ns ? max_ns : v;
}
