#include "CFileSystemType.h"

#include <sys/vfs.h>

long scalewatch_file_system_type(int descriptor) {
    struct statfs info;
    if (fstatfs(descriptor, &info) != 0) return -1;
    return (long)info.f_type;
}
