use clap::Parser;
use rosetta_server::cli::{self, Cli, Command};

fn main() {
    let cli = Cli::parse();
    if matches!(cli.command, Command::Serve) {
        rosetta_server::init_logging();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            rosetta_server::logging::last_words(&format!("rosetta: cannot start the runtime: {e}"));
            std::process::exit(1);
        }
    };
    if let Err(message) = runtime.block_on(cli::run(cli)) {
        rosetta_server::logging::last_words(&format!("rosetta: {message}"));
        std::process::exit(1);
    }
    // The last lines of a serve (its shutdown) are still on the log queue.
    rosetta_server::logging::flush();
}
