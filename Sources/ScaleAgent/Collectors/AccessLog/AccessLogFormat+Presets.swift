/// The named formats: nginx's own `combined`, the common variant with timings, nginx JSON
/// logs and HAProxy's default HTTP log format.
extension AccessLogFormat {
    static let presetNames = ["combined", "combined_timed", "json", "haproxy"]

    /// nginx's built-in `combined` format.
    static let combinedPattern =
        #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent""#

    /// `combined` followed by the two timings, as most tuned nginx configs log them.
    static let combinedTimedPattern = combinedPattern + " $request_time $upstream_response_time"

    /// HAProxy's `option httplog` line as syslog writes it to a file (Debian: /var/log/haproxy.log):
    ///
    ///     Feb  6 12:14:14 lb1 haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in \
    ///       static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"
    ///
    /// The timers are HAProxy 1.9+'s TR/Tw/Tc/Tr/Ta (older: Tq/Tw/Tc/Tr/Tt, the same places);
    /// captured headers (`{…}`), when configured, end up in the field before the request.
    static let haproxyPattern =
        "$syslog_header: $client [$accept_date] $frontend_name $backend_name/$server "
        + "$TR/$Tw/$Tc/$Tr/$Ta $status $bytes_read $request_cookie $response_cookie $termination_state "
        + #"$actconn/$feconn/$beconn/$srv_conn/$retries $srv_queue/$backend_queue "$request""#

    /// The preset of that name; `jsonKeys` renames the JSON keys (variable name → key).
    static func preset(_ name: String, jsonKeys: [String: String] = [:]) -> AccessLogFormat? {
        switch name {
        // The patterns are constants of this file: compiling them cannot fail.
        case "combined": try! compile(combinedPattern)
        case "combined_timed": try! compile(combinedTimedPattern)
        case "haproxy": try! compile(haproxyPattern)
        case "json": json(keys: jsonKeys)
        default: nil
        }
    }
}
