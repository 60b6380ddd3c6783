// llm-emulator: an OpenAI-compatible chat-completions server that classifies SMS replies by
// keywords, with rate limiting and failure injection, for crmd's LLM client tests (README.md).
#include "tools/llm-emulator/options.hpp"
#include "tools/llm-emulator/server.hpp"
#include "tools/llm-emulator/service.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  namespace emu = crmd::llm_emulator;
  try {
    auto o = emu::parse_options({argv + 1, argv + argc});
    if (o.help) {
      std::cout << emu::usage();
      return 0;
    }
    emu::chat_service service(o);
    // stdout carries only the listening line, which tests wait for.
    return emu::run_server(service, o, std::cout);
  } catch (const std::exception& e) {
    std::cerr << "llm-emulator: " << e.what() << "\n";
    return 2;
  }
}
