import Logging

/// The explicit list of host collectors and how the config turns into instances. Adding a
/// collector means adding it here and to `CollectorSettings.allNames`; nothing registers
/// itself.
public enum CollectorCatalog {
    public static func make(
        settings: CollectorSettings, paths: HostPaths, system: any HostSystem,
        logger: Logger = Logger(label: "scalewatch"), dataDirectory: String? = nil,
        resources: CollectorResources = CollectorResources()
    ) -> [any Collector] {
        let all: [any Collector] = [
            CPUCollector(paths: paths),
            DiskstatsCollector(paths: paths, deviceExclude: settings.diskstatsDeviceExclude),
            FilefdCollector(paths: paths),
            FilesystemCollector(
                paths: paths, system: system, mountPointsExclude: settings.filesystemMountPointsExclude,
                fsTypesExclude: settings.filesystemFSTypesExclude, statTimeout: settings.filesystemStatTimeout,
                logger: logger),
            LoadavgCollector(paths: paths),
            MeminfoCollector(paths: paths),
            NetdevCollector(paths: paths, deviceExclude: settings.netdevDeviceExclude),
            NetstatCollector(paths: paths, fields: settings.netstatFields),
            PressureCollector(paths: paths),
            ProcessesCollector(paths: paths),
            SockstatCollector(paths: paths),
            StatCollector(paths: paths),
            TimeCollector(paths: paths, system: system),
            TimexCollector(system: system),
            UnameCollector(system: system),
            VmstatCollector(paths: paths, fields: settings.vmstatFields),
            ARPCollector(paths: paths),
            ConntrackCollector(paths: paths),
            EntropyCollector(paths: paths),
            NetclassCollector(paths: paths, deviceExclude: settings.netclassDeviceExclude),
            OSReleaseCollector(paths: paths),
            SelinuxCollector(paths: paths),
            SoftnetCollector(paths: paths),
            UDPQueuesCollector(paths: paths),
            SchedstatCollector(paths: paths),
            CpufreqCollector(paths: paths),
            ThermalZoneCollector(paths: paths),
            DMICollector(paths: paths),
            EDACCollector(paths: paths),
            RAPLCollector(paths: paths),
            PowerSupplyClassCollector(paths: paths),
            HwmonCollector(paths: paths),
            BondingCollector(paths: paths),
            MdadmCollector(paths: paths),
            NVMeCollector(paths: paths),
            FibreChannelCollector(paths: paths),
            InfiniBandCollector(paths: paths),
            IPVSCollector(paths: paths),
            NFSCollector(paths: paths),
            NFSDCollector(paths: paths),
            TapestatsCollector(paths: paths),
            BcacheCollector(paths: paths),
            BtrfsCollector(paths: paths),
            XFSCollector(paths: paths),
            ZFSCollector(paths: paths),
            TextfileCollector(directory: settings.textfileDirectory, logger: logger),
            CgroupsCollector(paths: paths, settings: settings.cgroups),
            TopProcessesCollector(paths: paths, count: settings.cgroups.topProcesses),
            PostgresCollector(settings: settings.postgres, monitors: resources.postgresMonitors, logger: logger),
            // Their reader threads start on the first collection, so only when enabled.
            JournalCollector(
                settings: settings.journal, paths: paths, dataDirectory: dataDirectory, logger: logger,
                registry: resources.logFollowers),
            SocketsCollector(paths: paths, settings: settings.sockets, logger: logger),
            NginxCollector(settings: settings.nginx, logger: logger),
            PostgresLogCollector(
                settings: settings.postgresLogs, dataDirectory: dataDirectory, logger: logger, registry: resources.logFollowers),
            AccessLogCollector(
                settings: settings.accessLogs, dataDirectory: dataDirectory, logger: logger, registry: resources.logFollowers),
        ]
        precondition(
            Set(all.map(\.name)) == Set(CollectorSettings.allNames), "BUG: CollectorCatalog and CollectorSettings disagree")
        return all.filter { settings.enabled.contains($0.name) }
    }
}
