// A small C interface to RE2 (C++), so that Swift can import it as a C module. Texts are
// UTF-8 byte ranges, never NUL-terminated; offsets are byte offsets into them.
#ifndef CRE2_H
#define CRE2_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#pragma clang assume_nonnull begin

typedef struct cre2_regex cre2_regex;

/// Option bits for `cre2_new`; everything else is RE2's Perl-like default syntax with UTF-8,
/// leftmost-first (not longest) matching and `never_nl` off.
enum {
    /// `.` also matches `\n`, as `(?s)` would.
    CRE2_DOT_NL = 1,
};

/// How `cre2_match` anchors the match.
typedef enum {
    CRE2_UNANCHORED = 0,
    CRE2_ANCHOR_START = 1,
    CRE2_ANCHOR_BOTH = 2,
} cre2_anchor;

/// Compiles `pattern`. Returns NULL only when memory runs out; otherwise check
/// `cre2_error_code`, and free the result with `cre2_delete` either way.
cre2_regex *_Nullable cre2_new(const unsigned char *_Nullable pattern, size_t length, int options);
void cre2_delete(cre2_regex *regex);

/// RE2's `ErrorCode`: 0 when the pattern compiled.
int cre2_error_code(const cre2_regex *regex);
/// The offending part of the pattern, as RE2 reports it; valid until `cre2_delete`.
const char *cre2_error_argument(const cre2_regex *regex, size_t *length);

/// The number of capturing groups, not counting the whole match.
int cre2_group_count(const cre2_regex *regex);
/// The name of capturing group `index` (1-based), or NULL when it has none; valid until
/// `cre2_delete`.
const char *_Nullable cre2_group_name(const cre2_regex *regex, int index);

/// Whether `regex` matches in `text[start..<length]`, seeing the whole text as context for
/// `^`, `\b` and the like. When it does, `offsets` receives `2 * pairs` byte offsets: begin and
/// end of the whole match and of each group, -1 for a group that did not take part.
bool cre2_match(const cre2_regex *regex, const unsigned char *_Nullable text, size_t length, size_t start,
                cre2_anchor anchor, ptrdiff_t *_Nullable offsets, int pairs);

#pragma clang assume_nonnull end

#ifdef __cplusplus
}
#endif

#endif
