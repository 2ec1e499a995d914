// SPDX-License-Identifier: GPL-2.0
/*
 * HotSpot's Java monitors, the user half (jvm.h). Nothing here runs for a
 * command without a JVM beside it: no probe is attached, no map is filled.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "jvm.h"
#include "elf_symbols.h"
#include "proc_maps.h"
#include "schedtrace.skel.h"

/*
 * HotSpot's functions the probes go on, C++ names as libjvm.so's symtab has
 * them: the contended path of a monitor enter, EnterI (JDK 17; JDK 24 and
 * later call it enter_internal), and of the re-enter after a wait().
 */
static const char *const enter_contended[] = {"_ZN13ObjectMonitor6EnterIEP10JavaThread",
					      "_ZN13ObjectMonitor14enter_internalEP10JavaThread"};
static const char *const reenter_contended[] = {
    "_ZN13ObjectMonitor8ReenterIEP10JavaThreadP12ObjectWaiter",
    "_ZN13ObjectMonitor16reenter_internalEP10JavaThreadP12ObjectWaiter"};
#define JVM_CREATED "JNI_CreateJavaVM"

#define MAX_LINKS 5
#define MAX_JVMS 16

struct jvm {
	char libjvm[PATH_MAX]; /* "" when the command runs no JVM found */
	char why[256];	       /* why the probes are not attached, "" when they are */
	bool attached;
	int jvms_fd;
	struct bpf_link *links[MAX_LINKS];
	int nlinks;
	/* The JVMs seen up, each with its layout or why it was not read. */
	struct jvm_seen {
		int pid;
		int tid; /* the thread JNI_CreateJavaVM returned in: the JVM's creator */
		struct st_jvm layout;
		char why[160];
	} seen[MAX_JVMS];
	int nseen;
};

/* @word as the program execvp would run: a path, or found through PATH. */
/* @out: PATH_MAX bytes. */
static bool resolve_program(const char *word, char *out)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (strchr(word, '/'))
		return realpath(word, out) != NULL;
	if (!*word || !path)
		return false;
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n &&
		    (size_t)snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, word) <
			sizeof(buf) &&
		    !access(buf, X_OK) && realpath(buf, out))
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* HotSpot's layout since JDK 9: bin/java beside lib/server/libjvm.so. */
static bool libjvm_beside(const char *program, char *out)
{
	char dir[PATH_MAX], cand[PATH_MAX + 32];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", program);
	slash = strrchr(dir, '/');
	if (!slash)
		return false;
	*slash = '\0';
	snprintf(cand, sizeof(cand), "%s/../lib/server/libjvm.so", dir);
	return !access(cand, R_OK) && realpath(cand, out);
}

/* A JVM beside a word of @arg, split at blanks (`sh -c "java -cp . Main"`). */
static bool libjvm_in(const char *arg, char *out)
{
	char word[PATH_MAX], prog[PATH_MAX];

	while (*arg) {
		size_t n = strcspn(arg, " \t\n");

		if (n && n < sizeof(word)) {
			memcpy(word, arg, n);
			word[n] = '\0';
			if (resolve_program(word, prog) && libjvm_beside(prog, out))
				return true;
		}
		arg += n + (arg[n] != '\0');
	}
	return false;
}

struct jvm *jvm_find(char *const argv[])
{
	struct jvm *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->jvms_fd = -1;
	for (char *const *a = argv; a && *a; a++)
		if (libjvm_in(*a, j->libjvm))
			break;
	return j;
}

void jvm_free(struct jvm *j)
{
	if (!j)
		return;
	for (int i = 0; i < j->nlinks; i++)
		bpf_link__destroy(j->links[i]);
	free(j);
}

bool jvm_wanted(const struct jvm *j)
{
	return j && j->libjvm[0];
}

static bool attach_one(struct jvm *j, struct bpf_program *prog, const char *func, bool ret)
{
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = func, .retprobe = ret);
	struct bpf_link *l;

	if (j->nlinks >= MAX_LINKS)
		return false;
	l = bpf_program__attach_uprobe_opts(prog, -1, j->libjvm, 0, &uo);
	if (!l) {
		snprintf(j->why, sizeof(j->why), "no %s probe on %.80s in libjvm.so: %s",
			 ret ? "return" : "entry", func, strerror(errno));
		return false;
	}
	j->links[j->nlinks++] = l;
	return true;
}

/* The first of @names (@n) that libjvm.so defines, or NULL. */
static const char *first_defined(const struct elf_symbols *es, const char *const *names, size_t n)
{
	for (size_t i = 0; es && i < n; i++)
		if (elf_symbols_named(es, names[i]))
			return names[i];
	return NULL;
}

/* The monitor probes on the @enter and @reenter functions, and the JVM's start. */
static bool attach_all(struct jvm *j, struct schedtrace_bpf *skel, const char *enter,
		       const char *reenter)
{
	return attach_one(j, skel->progs.monitor_contended, enter, false) &&
	       attach_one(j, skel->progs.monitor_entered, enter, true) &&
	       attach_one(j, skel->progs.monitor_contended, reenter, false) &&
	       attach_one(j, skel->progs.monitor_entered, reenter, true) &&
	       attach_one(j, skel->progs.jvm_created, JVM_CREATED, true);
}

void jvm_attach(struct jvm *j, struct schedtrace_bpf *skel, const char *mode)
{
	struct elf_symbols *es;
	const char *enter, *reenter;

	if (!jvm_wanted(j))
		return;
	if (strcmp(mode, "tp_btf")) {
		snprintf(j->why, sizeof(j->why),
			 "the %s programs have no task storage, which the monitor probes need",
			 mode);
		return;
	}
	if (bpf_program__fd(skel->progs.monitor_contended) < 0) {
		snprintf(j->why, sizeof(j->why),
			 "the monitor probes did not load (the collector's messages say why)");
		return;
	}
	j->jvms_fd = bpf_map__fd(skel->maps.jvms);
	es = elf_symbols_open(j->libjvm);
	enter = first_defined(es, enter_contended, 2);
	reenter = first_defined(es, reenter_contended, 2);
	elf_symbols_free(es);
	if (!enter || !reenter)
		snprintf(j->why, sizeof(j->why),
			 "libjvm.so has no symbol for a monitor's contended enter (ObjectMonitor::"
			 "EnterI or enter_internal): stripped, or a HotSpot this collector does "
			 "not know");
	else
		j->attached = attach_all(j, skel, enter, reenter);
	if (!j->attached) {
		for (int i = 0; i < j->nlinks; i++)
			bpf_link__destroy(j->links[i]);
		j->nlinks = 0;
	}
}

/* The load bias of @libjvm in process @pid (process address - file address). */
static bool libjvm_bias(const struct elf_symbols *es, const char *maps, const char *libjvm,
			uint64_t *bias)
{
	const char *cur = maps;
	struct proc_map_entry m;

	while (proc_maps_next(&cur, &m))
		if (!strcmp(m.path, libjvm))
			return elf_symbols_bias(es, m.start, m.offset, bias);
	return false;
}

static bool read_u64(int mem, uint64_t addr, uint64_t *v)
{
	return pread(mem, v, sizeof(*v), (off_t)addr) == (ssize_t)sizeof(*v);
}

/* The value of the 8-byte variable @name of libjvm.so in the process. */
static bool read_var(int mem, const struct elf_symbols *es, uint64_t bias, const char *name,
		     uint64_t *v)
{
	const struct elf_symbol *s = elf_symbols_named(es, name);

	return s && read_u64(mem, s->lo + bias, v);
}

static bool read_str(int mem, uint64_t addr, char *out, size_t size)
{
	ssize_t n = addr ? pread(mem, out, size - 1, (off_t)addr) : -1;

	if (n <= 0)
		return false;
	out[n] = '\0';
	return true;
}

/* HotSpot's VMStructEntry fields, at the offsets its exported variables give. */
struct entry_layout {
	uint64_t type_name, field_name, type_string, offset, stride;
};

/*
 * Walks the process's gHotSpotVMStructs (the table the Serviceability Agent
 * reads; it ends with an entry without a type name) for the three fields.
 */
static const char *read_fields(int mem, uint64_t table, const struct entry_layout *el,
			       struct st_jvm *out)
{
	char type[64], field[64], ts[64];

	for (int i = 0; i < 8192; i++) {
		uint64_t e = table + (uint64_t)i * el->stride, tn, fn, tsp, off;

		if (!read_u64(mem, e + el->type_name, &tn))
			return "reading the table failed";
		if (!tn)
			break;
		if (!read_u64(mem, e + el->field_name, &fn) ||
		    !read_u64(mem, e + el->offset, &off) ||
		    !read_str(mem, tn, type, sizeof(type)) ||
		    !read_str(mem, fn, field, sizeof(field)))
			continue;
		if (!strcmp(type, "ObjectMonitor") && !strcmp(field, "_owner")) {
			/* A JVM whose owner word is not a thread pointer is not read. */
			if (read_u64(mem, e + el->type_string, &tsp) && tsp &&
			    read_str(mem, tsp, ts, sizeof(ts)) && ts[strlen(ts) - 1] != '*')
				return "its ObjectMonitor::_owner is not a thread pointer";
			out->owner_off = off;
		} else if (!strcmp(field, "_osthread") &&
			   (!strcmp(type, "JavaThread") || !strcmp(type, "Thread")))
			out->osthread_off = off;
		else if (!strcmp(type, "OSThread") && !strcmp(field, "_thread_id"))
			out->thread_id_off = off;
	}
	if (!out->owner_off || !out->osthread_off)
		return "its table has no ObjectMonitor::_owner or JavaThread::_osthread";
	return NULL;
}

/* The layout of JVM process @pid, or why it could not be read. */
static const char *read_layout(const char *libjvm, int pid, struct st_jvm *out)
{
	struct elf_symbols *es = elf_symbols_open(libjvm);
	char *maps = proc_maps_read(pid, NULL), path[64];
	struct entry_layout el = {};
	uint64_t bias, table = 0;
	const char *why = NULL;
	int mem = -1;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	if (!es || !maps)
		why = "its maps or libjvm.so's symbols could not be read";
	else if (!libjvm_bias(es, maps, libjvm, &bias))
		why = "libjvm.so is not mapped in it";
	else if ((mem = open(path, O_RDONLY)) < 0)
		why = "its memory could not be read";
	else if (!read_var(mem, es, bias, "gHotSpotVMStructs", &table) || !table ||
		 !read_var(mem, es, bias, "gHotSpotVMStructEntryTypeNameOffset", &el.type_name) ||
		 !read_var(mem, es, bias, "gHotSpotVMStructEntryFieldNameOffset", &el.field_name) ||
		 !read_var(mem, es, bias, "gHotSpotVMStructEntryTypeStringOffset",
			   &el.type_string) ||
		 !read_var(mem, es, bias, "gHotSpotVMStructEntryOffsetOffset", &el.offset) ||
		 !read_var(mem, es, bias, "gHotSpotVMStructEntryArrayStride", &el.stride) ||
		 !el.stride)
		why = "libjvm.so has no gHotSpotVMStructs table";
	else
		why = read_fields(mem, table, &el, out);
	if (mem >= 0)
		close(mem);
	free(maps);
	elf_symbols_free(es);
	return why;
}

void jvm_event(struct jvm *j, const struct st_event *e)
{
	struct jvm_seen *s;
	const char *why;
	__u32 pid = e->pid;

	if (!j || !j->attached || e->type != EV_JVM || j->nseen >= MAX_JVMS)
		return;
	s = &j->seen[j->nseen++];
	s->pid = (int)e->pid;
	s->tid = (int)e->tid;
	why = read_layout(j->libjvm, s->pid, &s->layout);
	if (!why && bpf_map_update_elem(j->jvms_fd, &pid, &s->layout, BPF_ANY))
		why = "bpf_map_update_elem(jvms) failed";
	if (why)
		snprintf(s->why, sizeof(s->why), "%s", why);
}

json_t *jvm_json(const struct jvm *j)
{
	json_t *o, *seen;

	if (!jvm_wanted(j))
		return NULL;
	seen = json_array();
	for (int i = 0; i < j->nseen; i++)
		json_array_append_new(
		    seen, j->seen[i].why[0]
			      ? json_pack("{s:i,s:i,s:b,s:s}", "pid", j->seen[i].pid, "created_by",
					  j->seen[i].tid, "owner_read", 0, "why", j->seen[i].why)
			      : json_pack("{s:i,s:i,s:b}", "pid", j->seen[i].pid, "created_by",
					  j->seen[i].tid, "owner_read", 1));
	o = json_pack("{s:s,s:b,s:o}", "libjvm", j->libjvm, "monitor_probes", j->attached, "jvms",
		      seen);
	if (o && j->why[0])
		json_object_set_new(o, "why", json_string(j->why));
	return o;
}
