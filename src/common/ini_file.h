#pragma once

// octavia.conf-style INI files (oslo.config dialect): [section] headers, `key = value` lines,
// `#`/`;` comments, continuation lines indented under a key. Keys are case-sensitive as in oslo.

#include <map>
#include <optional>
#include <string>

#include "common/result.h"

namespace octane {

class IniFile {
  public:
    // Parses text; errors name the source and line ("octavia.conf:12: ...").
    static Result<IniFile> parse(const std::string& text, const std::string& source_name);
    static Result<IniFile> load(const std::string& path);

    std::optional<std::string> get(const std::string& section, const std::string& key) const;
    void set(const std::string& section, const std::string& key, std::string value);
    const std::map<std::string, std::map<std::string, std::string>>& sections() const {
        return sections_;
    }

  private:
    std::map<std::string, std::map<std::string, std::string>> sections_;
};

}  // namespace octane
