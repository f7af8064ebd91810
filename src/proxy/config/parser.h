#pragma once

// Entry point of the haproxy.cfg reader: text -> model plus every problem found.

#include <string>
#include <vector>

#include "proxy/config/diagnostics.h"
#include "proxy/config/model.h"

namespace octane::proxy::config {

struct SourceFile {
    std::string name;  // used in file:line messages
    std::string text;
};

struct ParseOutput {
    Config config;
    Diagnostics diag;
};

// Parses the files in order (like repeated `-f`), then validates cross-references. Never throws;
// the config is meaningful only when diag.ok().
ParseOutput parse_config(const std::vector<SourceFile>& files);

// Reads files from disk and parses them; unreadable files are reported as errors.
ParseOutput parse_config_files(const std::vector<std::string>& paths);

// Cross-section checks (backends referenced exist, modes agree, acl names known, unsupported
// features). Appends to diag.
void validate_config(const Config& config, Diagnostics& diag);

}  // namespace octane::proxy::config
