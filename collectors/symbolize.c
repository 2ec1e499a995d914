// SPDX-License-Identifier: GPL-2.0
/*
 * A process's memory map is only readable while the process lives, but its
 * stacks are read out of the BPF maps at the end. So the map's text is kept
 * per process (taken at fork/exec events and refreshed while it runs) and
 * handed to libdwfl through dwfl_linux_proc_maps_report() when the stacks
 * are symbolized; the ELF files themselves are still on disk then.
 */
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proc_maps.h"
#include "symbolize.h"

struct ksym {
	uint64_t addr;
	const char *name;
};

struct proc_map {
	pid_t pid;
	bool gone; /* /proc/PID/maps no longer readable: keep the last text */
	char *maps;
	size_t len;
	Dwfl *dwfl; /* built from maps on first use */
};

struct symbolizer {
	struct ksym *ksyms;
	size_t nksyms;
	char *knames;
	struct proc_map *procs;
	size_t nprocs, cap;
};

static const Dwfl_Callbacks proc_callbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
};

static int cmp_ksym(const void *a, const void *b)
{
	uint64_t x = ((const struct ksym *)a)->addr, y = ((const struct ksym *)b)->addr;

	return x < y ? -1 : x > y;
}

/* Text symbols of /proc/kallsyms, sorted by address. */
static int load_kallsyms(struct symbolizer *s)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	size_t cap = 0, ncap = 0, nlen = 0;
	char line[512];
	bool any_addr = false;

	if (!f) {
		fprintf(stderr, "schedtrace: fopen(/proc/kallsyms): %s\n", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long long addr;
		char type, name[256];
		size_t len;

		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3)
			continue;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue;
		any_addr |= addr != 0;
		len = strlen(name) + 1;
		if (nlen + len > ncap) {
			char *p;

			ncap = ncap ? ncap * 2 : 1 << 20;
			p = realloc(s->knames, ncap);
			if (!p)
				goto oom;
			s->knames = p;
		}
		if (s->nksyms == cap) {
			struct ksym *p;

			cap = cap ? cap * 2 : 65536;
			p = realloc(s->ksyms, cap * sizeof(*p));
			if (!p)
				goto oom;
			s->ksyms = p;
		}
		memcpy(s->knames + nlen, name, len);
		/* Offsets for now: knames may still move. */
		s->ksyms[s->nksyms].addr = addr;
		s->ksyms[s->nksyms].name = (const char *)(uintptr_t)nlen;
		s->nksyms++;
		nlen += len;
	}
	fclose(f);
	for (size_t i = 0; i < s->nksyms; i++)
		s->ksyms[i].name = s->knames + (uintptr_t)s->ksyms[i].name;
	qsort(s->ksyms, s->nksyms, sizeof(*s->ksyms), cmp_ksym);
	if (!any_addr) {
		fprintf(stderr, "schedtrace: /proc/kallsyms shows no addresses (kptr_restrict): "
				"kernel frames will be shown as addresses\n");
		s->nksyms = 0;
	}
	return 0;
oom:
	fclose(f);
	fprintf(stderr, "schedtrace: loading /proc/kallsyms: out of memory\n");
	return -1;
}

struct symbolizer *symbolizer_new(void)
{
	struct symbolizer *s = calloc(1, sizeof(*s));

	if (!s) {
		fprintf(stderr, "schedtrace: symbolizer: out of memory\n");
		return NULL;
	}
	if (load_kallsyms(s)) {
		symbolizer_free(s);
		return NULL;
	}
	return s;
}

static void forget_dwfl(struct proc_map *p)
{
	if (p->dwfl)
		dwfl_end(p->dwfl);
	p->dwfl = NULL;
}

void symbolizer_free(struct symbolizer *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nprocs; i++) {
		forget_dwfl(&s->procs[i]);
		free(s->procs[i].maps);
	}
	free(s->procs);
	free(s->ksyms);
	free(s->knames);
	free(s);
}

static struct proc_map *find_proc(struct symbolizer *s, pid_t pid)
{
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].pid == pid)
			return &s->procs[i];
	return NULL;
}

static struct proc_map *add_proc(struct symbolizer *s, pid_t pid)
{
	struct proc_map *p = find_proc(s, pid);

	if (p)
		return p;
	if (s->nprocs == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;

		p = realloc(s->procs, cap * sizeof(*p));
		if (!p) {
			fprintf(stderr, "schedtrace: symbolizer: out of memory\n");
			return NULL;
		}
		s->procs = p;
		s->cap = cap;
	}
	p = &s->procs[s->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	return p;
}

static void set_maps(struct proc_map *p, char *maps, size_t len)
{
	forget_dwfl(p);
	free(p->maps);
	p->maps = maps;
	p->len = len;
}

void symbolizer_note_process(struct symbolizer *s, pid_t pid, pid_t ppid)
{
	struct proc_map *p = add_proc(s, pid), *parent;
	char *maps;
	size_t len;

	if (!p)
		return;
	maps = proc_maps_read(pid, &len);
	if (maps) {
		p->gone = false;
		set_maps(p, maps, len);
		return;
	}
	/* Already gone: a forked child ran its parent's code. */
	parent = ppid > 0 ? find_proc(s, ppid) : NULL;
	if (parent && parent->maps && !p->maps) {
		maps = malloc(parent->len);
		if (maps) {
			memcpy(maps, parent->maps, parent->len);
			set_maps(p, maps, parent->len);
		}
	}
	p->gone = true;
}

void symbolizer_refresh(struct symbolizer *s)
{
	for (size_t i = 0; i < s->nprocs; i++) {
		struct proc_map *p = &s->procs[i];
		char *maps;
		size_t len;

		if (p->gone)
			continue;
		maps = proc_maps_read(p->pid, &len);
		if (!maps) {
			p->gone = true;
			continue;
		}
		if (p->maps && len == p->len && !memcmp(maps, p->maps, len))
			free(maps);
		else
			set_maps(p, maps, len);
	}
}

static Dwfl *proc_dwfl(struct proc_map *p)
{
	FILE *f;

	if (p->dwfl || !p->maps)
		return p->dwfl;
	p->dwfl = dwfl_begin(&proc_callbacks);
	if (!p->dwfl) {
		fprintf(stderr, "schedtrace: dwfl_begin: %s\n", dwfl_errmsg(-1));
		return NULL;
	}
	f = fmemopen(p->maps, p->len, "r");
	if (!f) {
		fprintf(stderr, "schedtrace: fmemopen: %s\n", strerror(errno));
		forget_dwfl(p);
		return NULL;
	}
	dwfl_report_begin(p->dwfl);
	if (dwfl_linux_proc_maps_report(p->dwfl, f))
		fprintf(stderr, "schedtrace: dwfl_linux_proc_maps_report(%d): %s\n", (int)p->pid,
			dwfl_errmsg(-1));
	fclose(f);
	if (dwfl_report_end(p->dwfl, NULL, NULL))
		fprintf(stderr, "schedtrace: dwfl_report_end(%d): %s\n", (int)p->pid,
			dwfl_errmsg(-1));
	return p->dwfl;
}

void symbolize_user(struct symbolizer *s, pid_t pid, uint64_t addr, char *buf, size_t n)
{
	struct proc_map *p = s ? find_proc(s, pid) : NULL;
	Dwfl *dwfl = p ? proc_dwfl(p) : NULL;
	Dwfl_Module *mod = dwfl ? dwfl_addrmodule(dwfl, addr) : NULL;
	const char *name, *slash;
	Dwarf_Addr start;
	GElf_Off off;
	GElf_Sym sym;

	if (!mod) {
		snprintf(buf, n, "[unknown]");
		return;
	}
	name = dwfl_module_addrinfo(mod, addr, &off, &sym, NULL, NULL, NULL);
	if (name) {
		snprintf(buf, n, "%s", name);
		return;
	}
	name = dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
	slash = name ? strrchr(name, '/') : NULL;
	snprintf(buf, n, "%s+0x%llx",
		 slash	? slash + 1
		 : name ? name
			: "?",
		 (unsigned long long)(addr - start));
}

void symbolize_kernel(struct symbolizer *s, uint64_t addr, char *buf, size_t n)
{
	size_t lo = 0, hi = s ? s->nksyms : 0;

	/* The last symbol at or below addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->ksyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0) {
		snprintf(buf, n, "0x%llx", (unsigned long long)addr);
		return;
	}
	snprintf(buf, n, "%s", s->ksyms[lo - 1].name);
}
