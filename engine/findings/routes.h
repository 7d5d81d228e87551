// A request target's route: the URL with its variable parts masked, so that the requests of one
// page or endpoint gather whatever their ids ("/product.php?id=17" and "?id=18" are one route).
//
//   route_template("/orders/1842/items?page=2&sort=asc")  // "/orders/<*>/items?page=<*>&sort=<*>"
//
// Path segments with a digit, and segments too long to be names, are masked; query keys are kept
// and their values masked; a fragment is dropped. Thread-safe.
#pragma once
#include <string>
#include <string_view>

namespace hindcast {

std::string route_template(std::string_view url);

}  // namespace hindcast
