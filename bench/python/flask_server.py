"""One-row prediction with Flask, as gunicorn serves it: gunicorn --workers 1 --worker-class gthread flask_server:app"""
from flask import Flask, abort, jsonify, request

from iris_model import answer, load

app = Flask(__name__)
model = load()


@app.get("/ready")
def ready():
    return jsonify(status="ready")


@app.post("/predict")
def predict():
    body = request.get_json()
    features = body.get("features") if isinstance(body, dict) else None
    if not isinstance(features, list) or len(features) != 4:
        abort(400, "features must be an array of 4 numbers")
    return jsonify(answer(model, features))
