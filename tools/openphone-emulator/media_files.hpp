#pragma once

#include "tools/openphone-emulator/rest_types.hpp"

#include <optional>
#include <string>
#include <string_view>

// The files behind the dataset's media URLs (<media-base>/r/<id>.mp3 recordings, /v/ voicemails,
// /m/ MMS pictures): a few kilobytes derived from the path, so a test can recompute what a
// downloader must have stored. No key is needed, as for OpenPhone's signed file links.
namespace crmd::openphone_emulator::rest {

bool is_media_path(std::string_view path);

// The bytes served for a media path.
std::string media_bytes(std::string_view path);

// 200 with the bytes and their MIME type, or nullopt for a path that is not a media file.
std::optional<rest_response> media_response(std::string_view path);

}  // namespace crmd::openphone_emulator::rest
