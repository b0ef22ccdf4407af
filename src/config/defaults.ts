import {defaultChannels} from './channels'
import type {Config} from './schema'

/**
 * The defaults: the seed's values (`ResourceMonitor.load_config`), with three
 * deliberate changes — Redis db 0 (a stock Redis has 16 databases, not 22), the
 * notification channels carry no destination (the seed's example addresses
 * live in config/monitor.example.yaml), and the keys the seed lacks (`for`,
 * `hysteresis`, collection filters) get values chosen to keep alerts quiet.
 */
export const defaults: Config = {
  redis: {
    url: 'redis://127.0.0.1:6379/0',
    prefix: 'monitor',
    cluster: [],
    sentinels: [],
    name: 'mymaster',
    tls_ca_file: '',
    connect_timeout: 3,
  },
  state_dir: '',
  spool: {max_entries: 8640},
  logging: {format: 'text'},
  monitoring: {
    intervals: {basic: 10, detailed: 60, extended: 300},
    retention: {basic: 3600, detailed: 86_400, extended: 604_800},
    filesystems: {
      exclude_types: [
        'autofs', 'binfmt_misc', 'bpf', 'cgroup', 'cgroup2', 'configfs', 'debugfs', 'devpts', 'devtmpfs',
        'efivarfs', 'fuse.lxcfs', 'fuse.portal', 'fusectl', 'hugetlbfs', 'iso9660', 'mqueue', 'nsfs', 'overlay',
        'proc', 'pstore', 'ramfs', 'rpc_pipefs', 'securityfs', 'selinuxfs', 'squashfs', 'sysfs', 'tmpfs', 'tracefs',
      ],
      exclude_mounts: [],
      include_mounts: [],
    },
    interfaces: {include: [], exclude: ['lo']},
    disks: {exclude: '^(z?ram|loop|fd|sr|(h|s|v|xv)d[a-z]+|nvme\\d+n\\d+p|mmcblk\\d+p)\\d+$'},
    processes: {top: 5},
    services: {enabled: true},
    forget_hosts_after: 2_592_000,
  },
  thresholds: {
    cpu: {warning: 70, error: 85, critical: 95, for: 60, hysteresis: 5},
    memory: {warning: 75, error: 85, critical: 95, for: 0, hysteresis: 5},
    disk: {warning: 80, error: 90, critical: 95, for: 0, hysteresis: 2},
    io: {warning: 70, error: 85, critical: 95, for: 60, hysteresis: 5},
    network: {warning: 70, error: 85, critical: 95, for: 60, hysteresis: 5},
    overrides: {},
  },
  rules: {
    service: {enabled: true, severity: 'error', units: []},
    forecast: {enabled: true, for: 120},
    anomaly: {enabled: true, severity: 'info', for: 0},
    host_silent: {enabled: true, after: 300, severity: 'error'},
    absent_after: 0,
  },
  alerts: {
    channels: defaultChannels(),
    heartbeat: {url: '', every: 60},
    external_url: '',
    maintenance: [],
    delivery: {max_attempts: 5, retry_backoff: 30, timeout: 10},
    log_retention: 604_800,
    deadletter_retention: 2_592_000,
    throttling: {min_interval: 300, repeat_interval: 14_400, max_alerts_per_hour: 10, grouping_window: 60},
    escalation: {
      enabled: true,
      levels: [
        {after: 900, recipients: [], channels: [], min_severity: 'warning'},
        {after: 1800, recipients: [], channels: [], min_severity: 'warning'},
        {after: 3600, recipients: [], channels: [], min_severity: 'warning'},
      ],
    },
  },
  analysis: {
    anomaly_detection: {enabled: true, sensitivity: 2.0, min_data_points: 100, training_period: 86_400, method: 'zscore', persistence: {points: 3, of: 5}, daily_pattern: true},
    trend_analysis: {enabled: true, window_size: 3600, long_window: 21_600, forecast_horizon: 3600, min_r2: 0, min_points: 10},
    correlation: {enabled: true, min_correlation: 0.7, max_lag: 300, min_co_movements: 5, max_series: 50},
    history_retention: 86_400,
  },
}
