#include <stdio.h>
#include <editline/readline.h>

/* Setters for libedit's global configuration variables: Swift 6 forbids touching C globals directly. */
static inline void tarn_rl_set_catch_signals(int value) { rl_catch_signals = value; }
static inline void tarn_rl_set_getc_function(int (*function)(FILE *)) { rl_getc_function = function; }
static inline void tarn_rl_set_readline_name(const char *name) { rl_readline_name = name; }
static inline void tarn_rl_set_word_break_characters(const char *characters) { rl_basic_word_break_characters = characters; }
static inline void tarn_rl_set_completion_append_character(int character) { rl_completion_append_character = character; }
static inline void tarn_rl_set_completion_entry_function(rl_compentry_func_t *function) { rl_completion_entry_function = function; }
/* The line being edited and the cursor in it, for completion that depends on what comes before the word. */
static inline const char *tarn_rl_line_buffer(void) { return rl_line_buffer; }
static inline int tarn_rl_point(void) { return rl_point; }
