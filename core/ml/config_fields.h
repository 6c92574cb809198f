#pragma once
/**
 * \file config_fields.h
 * \brief Reading a model component's config.json (UNet, VAE, scheduler) with errors that name the component,
 *        the file and the field: "VAE config 'vae/config.json': field "layers_per_block" has the wrong type".
 */
#include <stdexcept>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace mb::ml {

class ConfigFields {
public:
    /** `kind` names the component ("UNet3D", "VAE", "scheduler"); throws when `j` is not a JSON object. */
    ConfigFields(const nlohmann::json& j, std::string kind, std::string source)
        : m_json(j), m_kind(std::move(kind)), m_source(std::move(source)) {
        if (!m_json.is_object()) {
            fail("not a JSON object");
        }
    }

    /** Throws std::runtime_error "<kind> config '<source>': <what>". */
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error(m_kind + " config '" + m_source + "': " + what);
    }

    /** A field that must be present (and not null) with type T. */
    template <typename T> T need(const char* name) const {
        if (!m_json.contains(name) || m_json[name].is_null()) {
            fail(std::string("missing field \"") + name + "\"");
        }
        try {
            return m_json[name].get<T>();
        } catch (const nlohmann::json::exception&) {
            fail(std::string("field \"") + name + "\" has the wrong type");
        }
    }

    /** A field that may be absent or null (then `fallback`); present, it must have type T. */
    template <typename T> T optional(const char* name, T fallback) const {
        if (!m_json.contains(name) || m_json[name].is_null()) {
            return fallback;
        }
        return need<T>(name);
    }

    const nlohmann::json& json() const { return m_json; }

private:
    const nlohmann::json& m_json;
    std::string m_kind, m_source;
};

} // namespace mb::ml
