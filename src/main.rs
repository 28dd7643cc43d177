fn main() {
    std::process::exit(crew::run(std::env::args_os()));
}
