// SPDX-License-Identifier: GPL-2.0
/* The table of every demo's questions: one line each in quizzes.def. */
#include "predict.h"

#define QUIZ(q) extern const struct quiz q;
#include "quizzes.def"
#undef QUIZ

const struct quiz *const quizzes[] = {
#define QUIZ(q) &q,
#include "quizzes.def"
#undef QUIZ
};
const size_t nquizzes = sizeof(quizzes) / sizeof(quizzes[0]);
