// Glue only: every decision about syntax and semantics is made by the Swift caller.
#include "CRE2.h"

#include <map>
#include <new>
#include <string>
#include <vector>

#include <re2/re2.h>

struct cre2_regex {
    re2::RE2 regex;

    cre2_regex(re2::StringPiece pattern, const re2::RE2::Options &options) : regex(pattern, options) {}
};

extern "C" {

cre2_regex *cre2_new(const unsigned char *pattern, size_t length, int options) {
    re2::RE2::Options settings;
    settings.set_encoding(re2::RE2::Options::EncodingUTF8);
    settings.set_posix_syntax(false);
    settings.set_longest_match(false);
    settings.set_never_nl(false);
    settings.set_dot_nl((options & CRE2_DOT_NL) != 0);
    // Errors go back to the caller; RE2 must not write to stderr.
    settings.set_log_errors(false);
    re2::StringPiece text(reinterpret_cast<const char *>(pattern), length);
    return new (std::nothrow) cre2_regex(text, settings);
}

void cre2_delete(cre2_regex *regex) { delete regex; }

int cre2_error_code(const cre2_regex *regex) { return regex->regex.error_code(); }

const char *cre2_error_argument(const cre2_regex *regex, size_t *length) {
    const std::string &argument = regex->regex.error_arg();
    *length = argument.size();
    return argument.c_str();
}

int cre2_group_count(const cre2_regex *regex) { return regex->regex.NumberOfCapturingGroups(); }

const char *cre2_group_name(const cre2_regex *regex, int index) {
    // RE2 builds this map once, on first use, and keeps it for the regex's lifetime.
    const std::map<int, std::string> &names = regex->regex.CapturingGroupNames();
    auto found = names.find(index);
    return found == names.end() ? nullptr : found->second.c_str();
}

bool cre2_match(const cre2_regex *regex, const unsigned char *text, size_t length, size_t start,
                cre2_anchor anchor, ptrdiff_t *offsets, int pairs) {
    if (start > length) return false;
    re2::RE2::Anchor mode = anchor == CRE2_ANCHOR_BOTH    ? re2::RE2::ANCHOR_BOTH
                            : anchor == CRE2_ANCHOR_START ? re2::RE2::ANCHOR_START
                                                          : re2::RE2::UNANCHORED;
    // An empty text may come without storage; a real address keeps empty groups at offset 0
    // apart from groups that did not take part (null data).
    const char *base = text == nullptr ? "" : reinterpret_cast<const char *>(text);
    re2::StringPiece subject(base, length);
    if (offsets == nullptr || pairs <= 0) return regex->regex.Match(subject, start, length, mode, nullptr, 0);

    re2::StringPiece few[8];
    std::vector<re2::StringPiece> many;
    re2::StringPiece *groups = few;
    if (pairs > 8) {
        many.resize(static_cast<size_t>(pairs));
        groups = many.data();
    }
    if (!regex->regex.Match(subject, start, length, mode, groups, pairs)) return false;
    for (int index = 0; index < pairs; ++index) {
        const re2::StringPiece &group = groups[index];
        bool tookPart = group.data() != nullptr;
        offsets[2 * index] = tookPart ? group.data() - base : -1;
        offsets[2 * index + 1] = tookPart ? group.data() - base + static_cast<ptrdiff_t>(group.size()) : -1;
    }
    return true;
}

}
