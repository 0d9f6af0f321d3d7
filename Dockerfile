# The gateway image: a release build of `rosetta`, run as an unprivileged user.
FROM rust:1-bookworm AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cargo build --release -p rosetta-server && cp target/release/rosetta /usr/local/bin/rosetta

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates && \
    rm -rf /var/lib/apt/lists/* && useradd --system --home /var/lib/rosetta --create-home rosetta
COPY --from=build /usr/local/bin/rosetta /usr/local/bin/rosetta
USER rosetta
WORKDIR /var/lib/rosetta
ENV ROSETTA_LISTEN=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["rosetta"]
CMD ["serve"]
