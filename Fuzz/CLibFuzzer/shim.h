// libFuzzer's entry point for a program that has its own main (LLVM 11 and later): it parses
// libFuzzer's flags from argv and calls `callback` with each input. The fuzz executable needs
// its own main to pick a target before libFuzzer starts.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
