#pragma once

// Test helper: one corpus case (graph-create body + render_context, as Octavia's renderer was fed)
// turned into the renderer's input contract: Octavia's API defaults filled in, pools listed once at
// load balancer level and referenced by id, ids taken from the body.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "render/render_context.h"

namespace octane::render::testing {

struct CorpusCase {
    std::string name;
    nlohmann::json load_balancer;  // the renderer's input contract
    RenderContext context;
    std::string octavia_cfg;   // the bytes Octavia produced
    std::string expected_cfg;  // those bytes with our deliberate differences (kDeliberate)
};

std::string corpus_dir();
std::vector<std::string> corpus_case_names();
CorpusCase load_corpus_case(const std::string& name);

// Cases in the corpus format whose .cfg is Octane's own render, for what Octavia's renderer does
// not produce (tests/testdata/octane-renders/README.md).
std::string own_cases_dir();
std::vector<std::string> case_names(const std::string& dir);
CorpusCase load_case(const std::string& dir, const std::string& name);

// Graph-create body -> input contract (exposed for tests of the conversion itself).
nlohmann::json graph_to_contract(const nlohmann::json& graph);
RenderContext context_from(const nlohmann::json& render_context);

// `http-check expect rstatus a|b|c` with the alternation sorted: Octavia joins a Python set, so
// only the set of codes is meaningful (see the corpus README).
std::string canonical_rstatus(const std::string& cfg);

}  // namespace octane::render::testing
