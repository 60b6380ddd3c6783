#include "tools/openphone-emulator/media_files.hpp"

#include "tools/openphone-emulator/world.hpp"

namespace crmd::openphone_emulator::rest {

namespace {

constexpr std::size_t file_size = 4096;

std::string_view mime_type(std::string_view path) {
  if (path.ends_with(".mp3"))
    return "audio/mpeg";
  if (path.ends_with(".png"))
    return "image/png";
  if (path.ends_with(".jpg"))
    return "image/jpeg";
  return {};
}

}  // namespace

bool is_media_path(std::string_view path) {
  return (path.starts_with("/r/") || path.starts_with("/v/") || path.starts_with("/m/"))
         && !mime_type(path).empty();
}

std::string media_bytes(std::string_view path) {
  std::uint64_t state = 0xcbf29ce484222325ULL;  // FNV-1a of the path seeds the generator
  for (char c : path)
    state = (state ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  rng random(state);
  std::string bytes;
  bytes.reserve(file_size);
  while (bytes.size() < file_size) {
    auto word = random.next();
    for (int i = 0; i < 8 && bytes.size() < file_size; ++i)
      bytes.push_back(static_cast<char>(word >> (8 * i)));
  }
  return bytes;
}

std::optional<rest_response> media_response(std::string_view path) {
  if (!is_media_path(path))
    return std::nullopt;
  return rest_response{200, media_bytes(path), {{"Content-Type", std::string(mime_type(path))}}};
}

}  // namespace crmd::openphone_emulator::rest
