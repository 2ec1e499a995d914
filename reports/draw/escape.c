// SPDX-License-Identifier: GPL-2.0
#include "escape.h"

#include <string.h>

void html_escape(struct sbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '&':
			sb_add(out, "&amp;");
			break;
		case '<':
			sb_add(out, "&lt;");
			break;
		case '>':
			sb_add(out, "&gt;");
			break;
		case '"':
			sb_add(out, "&quot;");
			break;
		case '\'':
			sb_add(out, "&#39;");
			break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n')
				break;
			if (c == 0x7f)
				break;
			sb_addn(out, (const char *)&c, 1);
		}
	}
}

void md_escape(struct sbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n' || c == '\r' || c == '\t') {
			sb_add(out, " ");
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			continue;
		if (strchr("|\\`*_<>[]", c))
			sb_add(out, "\\");
		sb_addn(out, (const char *)&c, 1);
	}
}

char *gnuplot_label(char *out, size_t max, const char *s)
{
	size_t i = 0;

	if (!max)
		return out;
	for (; *s && i + 1 < max; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr(" ._-+*:/()#,=%", c))
			out[i++] = (char)c;
		else
			out[i++] = '?';
	}
	out[i] = '\0';
	return out;
}

void url_escape(struct sbuf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("._~/-", c)) {
			sb_addn(out, (const char *)&c, 1);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};

			sb_addn(out, e, 3);
		}
	}
}
