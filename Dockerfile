# nrladder: a pure Go binary on an empty base image.
#   docker build -t nrladder .
#   docker run -p 8080:8080 -v nrladder-data:/data nrladder
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/nrladder ./cmd/server \
 && mkdir -p /out/data /out/tmp && chmod 1777 /out/tmp

FROM scratch
COPY --from=build /out/nrladder /nrladder
COPY --from=build /out/tmp /tmp
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV NRLADDER_ADDR=:8080 NRLADDER_DATA=/data
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/nrladder"]
