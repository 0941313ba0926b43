import MetricStore

/// XFS activity per mounted file system, from /sys/fs/xfs/<device>/stats/stats, under
/// node_exporter's `xfs` names (`node_xfs_*_total{device}`): allocations, block mapping,
/// directory and inode operations, read and write calls, vnodes. node_exporter 1.5 reads the
/// per-device sysfs files only, not the host-wide /proc/fs/xfs/stat, and so does this.
/// Nothing is reported without XFS mounts (kernels before 4.4 have no per-device files).
public struct XFSCollector: Collector {
    public let name = "xfs"
    private let paths: HostPaths

    public init(paths: HostPaths) { self.paths = paths }

    public func collect(into metrics: inout MetricsBuilder) throws {
        let root = paths.sys("fs/xfs")
        // Beside the devices sits the host-wide `stats` directory, whose stats/stats is absent.
        for device in try FileReading.directoryEntries(atPath: root) ?? [] {
            let file = root + "/" + device + "/stats/stats"
            guard let text = try FileReading.optionalString(atPath: file) else { continue }
            let stats = try XFSStats.parse(text, file: file)
            let labels = Labels(["device": device])
            for counter in Self.counters {
                metrics.add(
                    "node_xfs_" + counter.name, counter.help, .counter, Double(stats[group: counter.group, index: counter.index]),
                    labels: labels)
            }
        }
    }

    struct Counter {
        var name: String
        var help: String
        var group: String
        var index: Int
    }

    /// node_exporter's families, with the group and position each reads (the names follow
    /// the XFS wiki's Runtime_Stats page).
    static let counters: [Counter] = [
        .init(name: "extent_allocation_extents_allocated_total", help: "Number of extents allocated for a filesystem.", group: "extent_alloc", index: 0),
        .init(name: "extent_allocation_blocks_allocated_total", help: "Number of blocks allocated for a filesystem.", group: "extent_alloc", index: 1),
        .init(name: "extent_allocation_extents_freed_total", help: "Number of extents freed for a filesystem.", group: "extent_alloc", index: 2),
        .init(name: "extent_allocation_blocks_freed_total", help: "Number of blocks freed for a filesystem.", group: "extent_alloc", index: 3),
        .init(name: "allocation_btree_lookups_total", help: "Number of allocation B-tree lookups for a filesystem.", group: "abt", index: 0),
        .init(name: "allocation_btree_compares_total", help: "Number of allocation B-tree compares for a filesystem.", group: "abt", index: 1),
        .init(name: "allocation_btree_records_inserted_total", help: "Number of allocation B-tree records inserted for a filesystem.", group: "abt", index: 2),
        .init(name: "allocation_btree_records_deleted_total", help: "Number of allocation B-tree records deleted for a filesystem.", group: "abt", index: 3),
        .init(name: "block_mapping_reads_total", help: "Number of block map for read operations for a filesystem.", group: "blk_map", index: 0),
        .init(name: "block_mapping_writes_total", help: "Number of block map for write operations for a filesystem.", group: "blk_map", index: 1),
        .init(name: "block_mapping_unmaps_total", help: "Number of block unmaps (deletes) for a filesystem.", group: "blk_map", index: 2),
        .init(name: "block_mapping_extent_list_insertions_total", help: "Number of extent list insertions for a filesystem.", group: "blk_map", index: 3),
        .init(name: "block_mapping_extent_list_deletions_total", help: "Number of extent list deletions for a filesystem.", group: "blk_map", index: 4),
        .init(name: "block_mapping_extent_list_lookups_total", help: "Number of extent list lookups for a filesystem.", group: "blk_map", index: 5),
        .init(name: "block_mapping_extent_list_compares_total", help: "Number of extent list compares for a filesystem.", group: "blk_map", index: 6),
        .init(name: "block_map_btree_lookups_total", help: "Number of block map B-tree lookups for a filesystem.", group: "bmbt", index: 0),
        .init(name: "block_map_btree_compares_total", help: "Number of block map B-tree compares for a filesystem.", group: "bmbt", index: 1),
        .init(name: "block_map_btree_records_inserted_total", help: "Number of block map B-tree records inserted for a filesystem.", group: "bmbt", index: 2),
        .init(name: "block_map_btree_records_deleted_total", help: "Number of block map B-tree records deleted for a filesystem.", group: "bmbt", index: 3),
        .init(
            name: "directory_operation_lookup_total",
            help: "Number of file name directory lookups which miss the operating systems directory name lookup cache.", group: "dir", index: 0),
        .init(name: "directory_operation_create_total", help: "Number of times a new directory entry was created for a filesystem.", group: "dir", index: 1),
        .init(name: "directory_operation_remove_total", help: "Number of times an existing directory entry was created for a filesystem.", group: "dir", index: 2),
        .init(
            name: "directory_operation_getdents_total", help: "Number of times the directory getdents operation was performed for a filesystem.",
            group: "dir", index: 3),
        .init(name: "inode_operation_attempts_total", help: "Number of times the OS looked for an XFS inode in the inode cache.", group: "ig", index: 0),
        .init(name: "inode_operation_found_total", help: "Number of times the OS looked for and found an XFS inode in the inode cache.", group: "ig", index: 1),
        .init(
            name: "inode_operation_recycled_total",
            help: "Number of times the OS found an XFS inode in the cache, but could not use it as it was being recycled.", group: "ig", index: 2),
        .init(
            name: "inode_operation_missed_total", help: "Number of times the OS looked for an XFS inode in the cache, but did not find it.",
            group: "ig", index: 3),
        .init(
            name: "inode_operation_duplicates_total",
            help: "Number of times the OS tried to add a missing XFS inode to the inode cache, but found it had already been added by another process.",
            group: "ig", index: 4),
        .init(
            name: "inode_operation_reclaims_total",
            help: "Number of times the OS reclaimed an XFS inode from the inode cache to free memory for another purpose.", group: "ig", index: 5),
        .init(
            name: "inode_operation_attribute_changes_total", help: "Number of times the OS explicitly changed the attributes of an XFS inode.",
            group: "ig", index: 6),
        // `rw` counts writes first.
        .init(name: "read_calls_total", help: "Number of read(2) system calls made to files in a filesystem.", group: "rw", index: 1),
        .init(name: "write_calls_total", help: "Number of write(2) system calls made to files in a filesystem.", group: "rw", index: 0),
        .init(name: "vnode_active_total", help: "Number of vnodes not on free lists for a filesystem.", group: "vnodes", index: 0),
        .init(name: "vnode_allocate_total", help: "Number of times vn_alloc called for a filesystem.", group: "vnodes", index: 1),
        .init(name: "vnode_get_total", help: "Number of times vn_get called for a filesystem.", group: "vnodes", index: 2),
        .init(name: "vnode_hold_total", help: "Number of times vn_hold called for a filesystem.", group: "vnodes", index: 3),
        .init(name: "vnode_release_total", help: "Number of times vn_rele called for a filesystem.", group: "vnodes", index: 4),
        .init(name: "vnode_reclaim_total", help: "Number of times vn_reclaim called for a filesystem.", group: "vnodes", index: 5),
        .init(name: "vnode_remove_total", help: "Number of times vn_remove called for a filesystem.", group: "vnodes", index: 6),
    ]
}
