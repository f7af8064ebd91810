// Test helper (not a test itself): renders one case in the corpus format ({"loadbalancer": graph
// body, "render_context": ...}, tests/testdata/haproxy-corpus/README.md) read from stdin with
// Octane's renderer, the bytes Octavia's amphora driver would upload, to stdout.

#include <iostream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "../../unit/render/corpus_case.h"
#include "render/haproxy_config.h"

int main() {
    using namespace octane::render;
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.contains("loadbalancer") || !doc.contains("render_context")) {
        std::cerr << "expected {\"loadbalancer\": ..., \"render_context\": ...} on stdin\n";
        return 2;
    }
    auto cfg = render_haproxy_cfg(testing::graph_to_contract(doc["loadbalancer"]),
                                  testing::context_from(doc["render_context"]));
    if (!cfg) {
        std::cerr << cfg.error().message << "\n";
        return 1;
    }
    std::cout << *cfg;
    return 0;
}
