// nginx's log_format syntax for --access-format, translated once into the equivalent Apache
// LogFormat and compiled by parsers/access_log_format.h (one field plan, no regex per line):
//
//   --access-format '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time'
//   becomes          '%a - %u %t "%r" %>s %B "%{Referer}i" "%{User-Agent}i" %T'
//
// Variables: $remote_addr $realip_remote_addr (%a), $remote_user (%u), [$time_local] (%t, with
// its brackets), $msec (%{sec}t: epoch seconds with milliseconds), $request (%r), $status (%>s),
// $body_bytes_sent $bytes_sent (%B %O), $request_length (%I), $http_referer, $http_user_agent,
// $request_time (%T, seconds with ms), $host $server_name (%v), $server_port (%p),
// $request_method (%m), $uri $document_uri (%U), $args $query_string (%q), $server_protocol (%H);
// ${name} spelling too. Any other variable is a field read and ignored
// ($upstream_response_time, $http_x_forwarded_for, ...).
#pragma once
#include <string>
#include <string_view>

namespace hindcast {

// Whether `format` is in nginx's syntax (a $variable and no %directive).
bool is_nginx_log_format(std::string_view format);
// The Apache LogFormat equivalent of an nginx log_format.
std::string apache_format_from_nginx(std::string_view format);

}  // namespace hindcast
