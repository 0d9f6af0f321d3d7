//! The console's one stylesheet, served from the binary (the policy allows no inline style).

use actix_web::HttpResponse;

const CSS: &str = include_str!("console.css");

pub async fn css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .body(CSS)
}
