package io.keshikaran.converter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrowserifyBundleTest {

    /** The exact UMD/browserify wrapper nsfwjs 4.4.0 uses, with a chosen export and parameter names. */
    static String bundle(String exported, String p1, String p2, String p3) {
        return "!function(e){if(\"object\"==typeof exports&&\"undefined\"!=typeof module)module.exports=e();"
                + "else if(\"function\"==typeof define&&define.amd)define([],e);else{(\"undefined\"!=typeof window?"
                + "window:\"undefined\"!=typeof global?global:\"undefined\"!=typeof self?self:this).model=e()}}"
                + "(function(){return function e(a,n,i){function l(_,o){if(!n[_]){if(!a[_]){var s=\"function\""
                + "==typeof require&&require;if(!o&&s)return s(_,!0);var c=new Error(\"Cannot find module '\"+_+\"'\");"
                + "throw c.code=\"MODULE_NOT_FOUND\",c}var r=n[_]={exports:{}};a[_][0].call(r.exports,function(e)"
                + "{return l(a[_][1][e]||e)},r,r.exports,e,a,n,i)}return n[_].exports}for(var t=\"function\"=="
                + "typeof require&&require,_=0;_<i.length;_++)l(i[_]);return l}({1:[function(" + p1 + "," + p2 + ","
                + p3 + "){" + p2 + ".exports=" + exported + "},{}]},{},[1])(1)});";
    }

    @Test
    void extractsTheModelObject() {
        var v = BrowserifyBundle.moduleExports(bundle("{modelTopology:{keras_version:\"2.2.4\"},x:!0}", "e", "a", "n"),
                "model.min.js");
        assertThat(v.get("modelTopology").get("keras_version").asText()).isEqualTo("2.2.4");
        assertThat(v.get("x").booleanValue()).isTrue();
    }

    @Test
    void extractsABase64ShardWhateverTheParameterNames() {
        var v = BrowserifyBundle.moduleExports(bundle("\"AAEC/w==\"", "e", "W", "n"), "shard.min.js");
        assertThat(v.asText()).isEqualTo("AAEC/w==");
    }

    @Test
    void rejectsFilesThatAreNotSuchBundles() {
        assertThatThrownBy(() -> BrowserifyBundle.moduleExports("module.exports={a:1}", "x.js"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("x.js");
        assertThatThrownBy(() -> BrowserifyBundle.moduleExports(bundle("{a:1};doSomething()", "e", "a", "n"), "y.js"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("more than the exported literal");
        assertThatThrownBy(() -> BrowserifyBundle.moduleExports(
                bundle("1", "e", "a", "n").replace("a.exports=1", "n.exports=1"), "z.js"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("does not start with 'a.exports='");
    }
}
