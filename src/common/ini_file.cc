#include "common/ini_file.h"

#include <fstream>
#include <sstream>

#include "common/strings.h"

namespace octane {

Result<IniFile> IniFile::parse(const std::string& text, const std::string& source_name) {
    IniFile ini;
    std::istringstream in(text);
    std::string line;
    std::string section = "DEFAULT";
    std::string last_key;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        std::string_view trimmed = trim(line);
        if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';') {
            continue;
        }
        bool indented = line[0] == ' ' || line[0] == '\t';
        if (indented && !last_key.empty()) {
            auto& value = ini.sections_[section][last_key];
            value += value.empty() ? "" : "\n";
            value += std::string(trimmed);
            continue;
        }
        if (trimmed.front() == '[') {
            if (trimmed.back() != ']' || trimmed.size() < 3) {
                return make_error(source_name + ":" + std::to_string(number) +
                                  ": malformed section header");
            }
            section = std::string(trim(trimmed.substr(1, trimmed.size() - 2)));
            last_key.clear();
            continue;
        }
        size_t eq = trimmed.find_first_of("=:");
        if (eq == std::string_view::npos) {
            return make_error(source_name + ":" + std::to_string(number) +
                              ": expected 'key = value'");
        }
        last_key = std::string(trim(trimmed.substr(0, eq)));
        if (last_key.empty()) {
            return make_error(source_name + ":" + std::to_string(number) + ": empty key");
        }
        ini.sections_[section][last_key] = std::string(trim(trimmed.substr(eq + 1)));
    }
    return ini;
}

Result<IniFile> IniFile::load(const std::string& path) {
    std::ifstream file(path);
    if (!file) {
        return make_error("cannot read config file " + path);
    }
    std::stringstream buffer;
    buffer << file.rdbuf();
    return parse(buffer.str(), path);
}

std::optional<std::string> IniFile::get(const std::string& section, const std::string& key) const {
    auto s = sections_.find(section);
    if (s == sections_.end()) {
        return std::nullopt;
    }
    auto k = s->second.find(key);
    if (k == s->second.end()) {
        return std::nullopt;
    }
    return k->second;
}

void IniFile::set(const std::string& section, const std::string& key, std::string value) {
    sections_[section][key] = std::move(value);
}

}  // namespace octane
