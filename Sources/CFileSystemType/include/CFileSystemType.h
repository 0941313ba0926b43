#ifndef SCALEWATCH_C_FILE_SYSTEM_TYPE_H
#define SCALEWATCH_C_FILE_SYSTEM_TYPE_H

// Swift's Glibc module leaves out <sys/vfs.h>, so fstatfs(2) is reached through here.

/// The f_type magic number of the file system holding `descriptor` (PROC_SUPER_MAGIC,
/// SYSFS_MAGIC, ...), or -1 with errno set.
long scalewatch_file_system_type(int descriptor);

#endif
